import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { startApp } from './app';
import { loadConfig, signIn } from './auth';

async function boot(): Promise<void> {
  const root = document.getElementById('app')!;
  try {
    if (!window.isSecureContext) {
      throw new Error('sign-in needs a secure context (PKCE uses Web Crypto): open the app over https, or on '
        + 'http://127.0.0.1 / http://localhost.');
    }
    const session = await signIn(await loadConfig());
    await startApp(root, session);
  } catch (e) {
    root.replaceChildren();
    const p = document.createElement('p');
    p.className = 'error';
    p.setAttribute('role', 'alert');
    p.textContent = `Meridian could not start: ${e instanceof Error ? e.message : String(e)}`;
    root.appendChild(p);
  }
}

void boot();
