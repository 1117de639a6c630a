import { render } from 'preact';
import { App } from './app/App';
import { startSession } from './app/session';
import { locale } from './i18n';
import './styles.css';

document.documentElement.lang = locale.value;
void startSession();
render(<App />, document.getElementById('app')!);
