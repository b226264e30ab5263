import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { FullPageSpin } from '../components/page-spin';
import { RequireAuth, RequireMenuAccess } from './route-guards';

// Every page is its own chunk; the login page downloads none of the others.
const LoginPage = lazy(() => import('../features/auth/login-page'));
const PasswordPage = lazy(() => import('../features/auth/password-page'));
const MfaSetupPage = lazy(() => import('../features/auth/mfa-setup-page'));
const AppLayout = lazy(() => import('./layout'));
const HomePage = lazy(() => import('../features/home/home-page'));
const RegionsRedirect = lazy(() => import('../features/regions/regions-redirect'));
const RegionsPage = lazy(() => import('../features/regions/regions-page'));
const UsersPage = lazy(() => import('../features/users/users-page'));
const AuditPage = lazy(() => import('../features/audit/audit-page'));
const SecurityPage = lazy(() => import('../features/security/security-page'));
const NotFoundPage = lazy(() => import('../features/errors/not-found-page'));
const FamiliesPage = lazy(() => import('../features/families/families-page'));
const FamilyArchivePage = lazy(() => import('../features/families/archive/family-archive-page'));
const FamilyFormPage = lazy(() => import('../features/families/form/family-form-page'));
const FamilyImportPage = lazy(() => import('../features/imports/import-page'));
const VisitPage = lazy(() => import('../features/visits/visit-page'));
const DashboardPage = lazy(() => import('../features/dashboard/dashboard-page'));
const FestivalCarePage = lazy(() => import('../features/festivals/festival-care-page'));
const NeedsPage = lazy(() => import('../features/needs/needs-page'));
const JointMeetingsPage = lazy(() => import('../features/needs/joint-meetings-page'));
const ContactsPage = lazy(() => import('../features/contacts/contacts-page'));
const FamilyContactsPage = lazy(() => import('../features/contacts/family-contacts-page'));
const LiaisonsPage = lazy(() => import('../features/people/liaisons-page'));
const PairingsPage = lazy(() => import('../features/people/pairings-page'));
const TrainingsPage = lazy(() => import('../features/people/trainings-page'));
const CountyStaffingPage = lazy(() => import('../features/people/county-staffing-page'));
const DuplicatesPage = lazy(() => import('../features/duplicates/duplicates-page'));
const PackageImportPage = lazy(() => import('../features/stat-packages/package-import-page'));
const StatReturnsPage = lazy(() => import('../features/stat-returns/stat-returns-page'));
const StatReturnPage = lazy(() => import('../features/stat-returns/stat-return-page'));
const StatReturnPrintPage = lazy(() => import('../features/stat-returns/stat-return-print-page'));
const ReportingRatesPage = lazy(() => import('../features/stat-returns/reporting-rates-page'));

export function AppRouter() {
  return (
    <BrowserRouter>
      <Suspense fallback={<FullPageSpin />}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/password" element={<PasswordPage />} />
          <Route path="/mfa-setup" element={<MfaSetupPage />} />
          <Route element={<RequireAuth />}>
            {/* The printable return is a bare A4 page, outside the layout. */}
            <Route
              path="stat-returns/:id/print"
              element={
                <RequireMenuAccess path="/stat-returns">
                  <StatReturnPrintPage />
                </RequireMenuAccess>
              }
            />
            <Route element={<AppLayout />}>
              <Route
                path="stat-returns"
                element={
                  <RequireMenuAccess path="/stat-returns">
                    <StatReturnsPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="stat-returns/:id"
                element={
                  <RequireMenuAccess path="/stat-returns">
                    <StatReturnPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="reporting-rates"
                element={
                  <RequireMenuAccess path="/reporting-rates">
                    <ReportingRatesPage />
                  </RequireMenuAccess>
                }
              />
              <Route index element={<HomePage />} />
              <Route path="regions" element={<RegionsRedirect />} />
              <Route path="regions/:code" element={<RegionsPage />} />
              <Route
                path="users"
                element={
                  <RequireMenuAccess path="/users">
                    <UsersPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="audit"
                element={
                  <RequireMenuAccess path="/audit">
                    <AuditPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="security"
                element={
                  <RequireMenuAccess path="/security">
                    <SecurityPage />
                  </RequireMenuAccess>
                }
              />
              <Route path="visits/:familyId" element={<VisitPage />} />
              <Route
                path="dashboard"
                element={
                  <RequireMenuAccess path="/dashboard">
                    <DashboardPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="festival-care"
                element={
                  <RequireMenuAccess path="/festival-care">
                    <FestivalCarePage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="duplicate-archives"
                element={
                  <RequireMenuAccess path="/duplicate-archives">
                    <DuplicatesPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="needs"
                element={
                  <RequireMenuAccess path="/needs">
                    <NeedsPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="joint-meetings"
                element={
                  <RequireMenuAccess path="/joint-meetings">
                    <JointMeetingsPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="contacts"
                element={
                  <RequireMenuAccess path="/contacts">
                    <ContactsPage />
                  </RequireMenuAccess>
                }
              />
              <Route path="families/:id/contacts" element={<FamilyContactsPage />} />
              <Route
                path="families"
                element={
                  <RequireMenuAccess path="/families">
                    <FamiliesPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="families/new"
                element={
                  <RequireMenuAccess path="/families">
                    <FamilyFormPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="stat-return-packages"
                element={
                  <RequireMenuAccess path="/stat-return-packages">
                    <PackageImportPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="families/import"
                element={
                  <RequireMenuAccess path="/families">
                    <FamilyImportPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="families/:id"
                element={
                  <RequireMenuAccess path="/families">
                    <FamilyArchivePage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="families/:id/edit"
                element={
                  <RequireMenuAccess path="/families">
                    <FamilyFormPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="liaisons"
                element={
                  <RequireMenuAccess path="/liaisons">
                    <LiaisonsPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="pairings"
                element={
                  <RequireMenuAccess path="/pairings">
                    <PairingsPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="trainings"
                element={
                  <RequireMenuAccess path="/trainings">
                    <TrainingsPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="county-staffing"
                element={
                  <RequireMenuAccess path="/county-staffing">
                    <CountyStaffingPage />
                  </RequireMenuAccess>
                }
              />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Route>
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}
