import { Navigate } from 'react-router';
import { useCurrentUser } from '../../app/auth-context';

/** /regions opens the signed-in user's own region. */
export default function RegionsRedirect() {
  const user = useCurrentUser();
  return <Navigate to={`/regions/${user.regionCode}`} replace />;
}
