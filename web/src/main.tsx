import 'bootstrap/dist/css/bootstrap.min.css';
import '@maxhub/max-ui/dist/styles.css';
import './styles/app.css';
import './styles/max.css';

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { App } from './App';
import { notifyMaxReady } from './lib/max';
import { prefetchFeed } from './features/gallery/prefetch';

prefetchFeed(window.location.pathname);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
notifyMaxReady();
