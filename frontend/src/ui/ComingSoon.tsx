import { t } from '../i18n';
import { PageHeading } from './Page';

// A page a later release fills in: says what will be there, shows no made-up data.
export function ComingSoon({ title, text }: { title: string; text: string }) {
  return (
    <section class="page narrow">
      <PageHeading title={title} />
      <div class="card coming-soon">
        <span class="badge badge-soon">{t('shell.soon')}</span>
        <p>{text}</p>
      </div>
    </section>
  );
}
