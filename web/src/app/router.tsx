import { lazy, Suspense, useEffect, useState, type ComponentType } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { FullPageSpin, PageSpin } from '../components/page-spin';
import { RequireAuth, RequireMenuAccess } from './route-guards';

// Every page is its own chunk; the login page downloads none of the others.
const LoginPage = lazy(() => import('../features/auth/login-page'));
const PasswordPage = lazy(() => import('../features/auth/password-page'));
const MfaSetupPage = lazy(() => import('../features/auth/mfa-setup-page'));

/**
 * A page the opened address starts loading at once (prefetchFor below), and the layout: rendered directly once the
 * module is in memory, and until then the spinner, swapped for the page by a plain state update. React.lazy would
 * suspend once even with the module loaded, and React reveals what resolves after a Suspense fallback no sooner
 * than 300 ms after that fallback appeared (FALLBACK_THROTTLE_MS, for retries): a warm 我的待办 showed the
 * spinner that long with its code and data at hand (bench: Fast 3G). A failed download goes through React.lazy,
 * which asks again and reports the error as every other page does.
 */
function preloadable(load: () => Promise<{ default: ComponentType }>, Spinner: ComponentType) {
  let loaded: ComponentType | undefined;
  const keep = () =>
    load().then((module) => {
      loaded = module.default;
      return module;
    });
  const Lazy = lazy(keep);
  function Preloadable() {
    // Chosen once per mount and kept: another component type in its place would remount the page.
    const [Component, setComponent] = useState<ComponentType | undefined>(() => loaded);
    useEffect(() => {
      if (Component) return;
      keep().then(
        (module) => setComponent(() => module.default),
        () => setComponent(() => Lazy),
      );
    }, [Component]);
    return Component ? <Component /> : <Spinner />;
  }
  return { Component: Preloadable, load: keep };
}

const layout = preloadable(() => import('./layout'), FullPageSpin);
const home = preloadable(() => import('../features/home/home-page'), PageSpin);
const visit = preloadable(() => import('../features/visits/visit-page'), PageSpin);
const dashboard = preloadable(() => import('../features/dashboard/dashboard-page'), PageSpin);
const families = preloadable(() => import('../features/families/families-page'), PageSpin);
const archive = preloadable(() => import('../features/families/archive/family-archive-page'), PageSpin);
const AppLayout = layout.Component;
const HomePage = home.Component;
const RegionsRedirect = lazy(() => import('../features/regions/regions-redirect'));
const RegionsPage = lazy(() => import('../features/regions/regions-page'));
const UsersPage = lazy(() => import('../features/users/users-page'));
const AuditPage = lazy(() => import('../features/audit/audit-page'));
const SecurityPage = lazy(() => import('../features/security/security-page'));
const NotificationsPage = lazy(() => import('../features/notifications/notifications-page'));
const NotificationSettingsPage = lazy(() => import('../features/notifications/notification-settings-page'));
const NotFoundPage = lazy(() => import('../features/errors/not-found-page'));
const FamiliesPage = families.Component;
const FamilyArchivePage = archive.Component;
const FamilyFormPage = lazy(() => import('../features/families/form/family-form-page'));
const FamilyImportPage = lazy(() => import('../features/imports/import-page'));
const VisitPage = visit.Component;
const DashboardPage = dashboard.Component;
const OutboxPage = lazy(() => import('../features/offline/outbox-page'));
const FestivalCarePage = lazy(() => import('../features/festivals/festival-care-page'));
const NeedsPage = lazy(() => import('../features/needs/needs-page'));
const JointMeetingsPage = lazy(() => import('../features/needs/joint-meetings-page'));
const ContactsPage = lazy(() => import('../features/contacts/contacts-page'));
const FamilyContactsPage = lazy(() => import('../features/contacts/family-contacts-page'));
const BulkAssignmentPage = lazy(() => import('../features/contacts/bulk-assignment-page'));
const ContactCardsPage = lazy(() => import('../features/contacts/contact-cards-page'));
const SupervisionOrdersPage = lazy(() => import('../features/supervision-orders/supervision-orders-page'));
const AccountabilityPage = lazy(() => import('../features/accountability/accountability-page'));
const CommendationsPage = lazy(() => import('../features/commendations/commendations-page'));
const CommendationPrintPage = lazy(() =>
  import('../features/commendations/commendations-page').then((m) => ({ default: m.CommendationPrintPage })),
);
const AssessmentsPage = lazy(() => import('../features/assessments/assessments-page'));
const AssessmentPage = lazy(() => import('../features/assessments/assessment-page'));
const AssessmentFormPage = lazy(() => import('../features/assessments/assessment-form-page'));
const LiaisonsPage = lazy(() => import('../features/people/liaisons-page'));
const PairingsPage = lazy(() => import('../features/people/pairings-page'));
const TrainingsPage = lazy(() => import('../features/people/trainings-page'));
const CountyStaffingPage = lazy(() => import('../features/people/county-staffing-page'));
const DuplicatesPage = lazy(() => import('../features/duplicates/duplicates-page'));
const RevealRequestsPage = lazy(() => import('../features/reveal-requests/reveal-requests-page'));
const PackageImportPage = lazy(() => import('../features/stat-packages/package-import-page'));
const StatReturnsPage = lazy(() => import('../features/stat-returns/stat-returns-page'));
const StatReturnPage = lazy(() => import('../features/stat-returns/stat-return-page'));
const StatReturnPrintPage = lazy(() => import('../features/stat-returns/stat-return-print-page'));
const ReportingRatesPage = lazy(() => import('../features/stat-returns/reporting-rates-page'));
const ChannelsPage = lazy(() => import('../features/channels/channels-page'));
const BackupsPage = lazy(() => import('../features/backups/backups-page'));
const CountyCopyPage = lazy(() => import('../features/county-copy/county-copy-page'));
const NoticesPage = lazy(() => import('../features/notices/notices-page'));
const NoticeEditorPage = lazy(() => import('../features/notices/notice-editor-page'));
const NoticePage = lazy(() => import('../features/notices/notice-page'));
const NoticeSheetPage = lazy(() => import('../features/notices/notice-sheet-page'));
const NoticeBoardPage = lazy(() => import('../features/notices/notice-board-page'));
const SampleSurveysPage = lazy(() => import('../features/sample-surveys/sample-surveys-page'));
const SampleSurveyPage = lazy(() => import('../features/sample-surveys/sample-survey-page'));
const SurveyCallsPage = lazy(() => import('../features/sample-surveys/survey-calls-page'));
const SurveyFormPage = lazy(() => import('../features/sample-surveys/survey-form-page'));
const SurveyDiscrepanciesPage = lazy(() => import('../features/sample-surveys/survey-discrepancies-page'));

/**
 * The signed-in layout and the page of the address being opened start downloading at once, beside
 * `GET /auth/session`, instead of one after the other once the session is known: on a slow link each step
 * of that chain costs a round trip and its bytes (bench: 我的待办 on Fast 3G). The login page loads
 * neither.
 */
function prefetchFor(pathname: string): void {
  if (/^\/(login|password|mfa-setup)(\/|$)/.test(pathname) || pathname.endsWith('/print')) return;
  // A failed download is retried by lazy() when the page is rendered; nothing to report here.
  const warm = (load: () => Promise<unknown>) => void load().catch(() => undefined);
  warm(layout.load);
  if (pathname === '/') warm(home.load);
  else if (pathname.startsWith('/visits/')) warm(visit.load);
  else if (pathname === '/dashboard') warm(dashboard.load);
  else if (pathname === '/families') warm(families.load);
  else if (/^\/families\/[\w-]{8,}$/.test(pathname)) warm(archive.load);
}
if (typeof window !== 'undefined') prefetchFor(window.location.pathname);

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
            {/* A QQ / WeChat group's printable sheet: bare A4, outside the layout. */}
            <Route
              path="notices/:id/sheet"
              element={
                <RequireMenuAccess path="/notices">
                  <NoticeSheetPage />
                </RequireMenuAccess>
              }
            />
            <Route element={<AppLayout />}>
              <Route
                path="county-copy"
                element={
                  <RequireMenuAccess path="/county-copy">
                    <CountyCopyPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="backups"
                element={
                  <RequireMenuAccess path="/backups">
                    <BackupsPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="channels"
                element={
                  <RequireMenuAccess path="/channels">
                    <ChannelsPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="notices"
                element={
                  <RequireMenuAccess path="/notices">
                    <NoticesPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="notices/new"
                element={
                  <RequireMenuAccess path="/notices">
                    <NoticeEditorPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="notices/:id/edit"
                element={
                  <RequireMenuAccess path="/notices">
                    <NoticeEditorPage />
                  </RequireMenuAccess>
                }
              />
              {/* Opened from the list, the board and the bell's links (/notices/{id}). */}
              <Route
                path="notices/:id"
                element={
                  <RequireMenuAccess path={['/notices', '/notice-board']}>
                    <NoticePage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="notice-board"
                element={
                  <RequireMenuAccess path="/notice-board">
                    <NoticeBoardPage />
                  </RequireMenuAccess>
                }
              />
              {/* R16: the yearly sample survey, the surveyor's phone list and form, the county's explanations. */}
              <Route
                path="sample-surveys"
                element={
                  <RequireMenuAccess path="/sample-surveys">
                    <SampleSurveysPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="sample-surveys/:id"
                element={
                  <RequireMenuAccess path="/sample-surveys">
                    <SampleSurveyPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="sample-surveys/:id/calls"
                element={
                  <RequireMenuAccess path="/sample-surveys">
                    <SurveyCallsPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="sample-surveys/:id/families/:familyId"
                element={
                  <RequireMenuAccess path="/sample-surveys">
                    <SurveyFormPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="survey-discrepancies"
                element={
                  <RequireMenuAccess path="/survey-discrepancies">
                    <SurveyDiscrepanciesPage />
                  </RequireMenuAccess>
                }
              />
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
              {/* Every signed-in account has a bell: no menu entry guards these. */}
              <Route path="notifications" element={<NotificationsPage />} />
              <Route path="notification-settings" element={<NotificationSettingsPage />} />
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
              <Route path="outbox" element={<OutboxPage />} />
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
                path="reveal-requests"
                element={
                  <RequireMenuAccess path="/reveal-requests">
                    <RevealRequestsPage />
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
              <Route
                path="contacts/bulk"
                element={
                  <RequireMenuAccess path="/contacts">
                    <BulkAssignmentPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="supervision-orders"
                element={
                  <RequireMenuAccess path="/supervision-orders">
                    <SupervisionOrdersPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="accountability"
                element={
                  <RequireMenuAccess path="/accountability">
                    <AccountabilityPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="commendations"
                element={
                  <RequireMenuAccess path="/commendations">
                    <CommendationsPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="assessments"
                element={
                  <RequireMenuAccess path="/assessments">
                    <AssessmentsPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="assessments/new"
                element={
                  <RequireMenuAccess path="/assessments">
                    <AssessmentFormPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="assessments/:id"
                element={
                  <RequireMenuAccess path="/assessments">
                    <AssessmentPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="assessments/:id/edit"
                element={
                  <RequireMenuAccess path="/assessments">
                    <AssessmentFormPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="commendations/print"
                element={
                  <RequireMenuAccess path="/commendations">
                    <CommendationPrintPage />
                  </RequireMenuAccess>
                }
              />
              <Route
                path="contact-cards"
                element={
                  <RequireMenuAccess path="/contacts">
                    <ContactCardsPage />
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
