import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect, type RouterHistory } from '@tanstack/react-router';
import { setUnauthorizedHandler } from './api/client.js';
import { fetchSession, sessionKey } from './api/session.js';
import { AppLayout } from './components/AppLayout.js';
import { ChangePasswordPage } from './pages/ChangePasswordPage.js';
import { HostPage } from './pages/HostPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { VmListPage } from './vms/VmListPage.js';
import { VmDetailsPage } from './vms/details/VmDetailsPage.js';

export interface RouterContext {
  queryClient: QueryClient;
}

interface LoginSearch {
  redirect?: string | undefined;
  expired?: boolean | undefined;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({ component: Outlet });

function session(context: RouterContext) {
  return context.queryClient.ensureQueryData({ queryKey: sessionKey, queryFn: fetchSession, staleTime: Infinity });
}

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>): LoginSearch => ({
    redirect: typeof search['redirect'] === 'string' ? search['redirect'] : undefined,
    expired: search['expired'] === true || search['expired'] === 'true' ? true : undefined,
  }),
  component: function Login() {
    const search = loginRoute.useSearch();
    return <LoginPage redirect={search.redirect} expired={search.expired} />;
  },
});

const changePasswordRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/change-password',
  beforeLoad: async ({ context }) => {
    const who = await session(context);
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router's redirects are thrown
    if (!who) throw redirect({ to: '/login', search: {} });
  },
  component: ChangePasswordPage,
});

/** Everything behind sign-in: no session sends the user to sign-in, a one-time password to the change form. */
const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'app',
  beforeLoad: async ({ context, location }) => {
    const who = await session(context);
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router's redirects are thrown
    if (!who) throw redirect({ to: '/login', search: { redirect: location.href } });
    // eslint-disable-next-line @typescript-eslint/only-throw-error -- TanStack Router's redirects are thrown
    if (who.user.mustChangePassword) throw redirect({ to: '/change-password' });
  },
  component: AppLayout,
});

const vmsRoute = createRoute({ getParentRoute: () => appRoute, path: '/', component: VmListPage });
const hostRoute = createRoute({ getParentRoute: () => appRoute, path: '/host', component: HostPage });
const vmDetailsRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/vms/$host/$uuid',
  component: function VmDetails() {
    const { host, uuid } = vmDetailsRoute.useParams();
    return <VmDetailsPage key={`${host}/${uuid}`} host={host} uuid={uuid} />;
  },
});

// The wizard (and the YAML library it uses) loads on first use only: it stays out of the VM list's cold bundle.
const LazyWizard = lazyRouteComponent(() => import('./vms/wizard/WizardPage.js'), 'WizardPage');
const vmCreateRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/vms/new',
  component: function VmCreate() {
    return <LazyWizard host="local" />;
  },
});

// The console page (noVNC, xterm.js) loads on first use only, like the wizard.
const LazyConsole = lazyRouteComponent(() => import('./consoles/ConsolePage.js'), 'ConsolePage');
const vmConsoleRoute = createRoute({
  getParentRoute: () => appRoute,
  path: '/vms/$host/$uuid/console',
  validateSearch: (search: Record<string, unknown>): { popout?: boolean | undefined } => ({
    popout: search['popout'] === true || search['popout'] === 'true' ? true : undefined,
  }),
  component: function VmConsole() {
    const { host, uuid } = vmConsoleRoute.useParams();
    const { popout } = vmConsoleRoute.useSearch();
    return <LazyConsole key={`${host}/${uuid}`} host={host} uuid={uuid} popout={popout === true} />;
  },
});

const routeTree = rootRoute.addChildren([loginRoute, changePasswordRoute, appRoute.addChildren([vmsRoute, hostRoute, vmCreateRoute, vmDetailsRoute, vmConsoleRoute])]);

export function createAppRouter(queryClient: QueryClient, history?: RouterHistory) {
  const router = createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: false,
    ...(history ? { history } : {}),
  });
  // A 401 from any call: the session is gone. Forget it and go to sign-in, coming back here afterwards.
  setUnauthorizedHandler(() => {
    queryClient.setQueryData(sessionKey, null);
    const here = router.state.location;
    if (here.pathname === '/login') return;
    void router.navigate({ to: '/login', search: { redirect: here.href, expired: true } });
  });
  return router;
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
