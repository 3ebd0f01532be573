import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createBrowserRouter, RouterProvider } from 'react-router';
// the base stylesheet first: the pages' own sheets (imported by the pages) refine it
import './styles.css';
import { appRoutes } from './App.tsx';

const queryClient = new QueryClient({
  defaultOptions: {
    // a console shows what is there now; a refused change is shown, not retried
    queries: { retry: false, refetchOnWindowFocus: true, staleTime: 5_000 },
    mutations: { retry: false },
  },
});

const router = createBrowserRouter(appRoutes);

const root = document.getElementById('root');
if (!root) throw new Error('no #root element');
createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
