// The weekly opening windows, one fieldset per day (Monday first): several windows a day (a lunch
// break, Friday prayer), a window may run past midnight, a day without windows is closed.
import { t, tm, type MessageKey } from '../i18n';
import {
  WEEK_ORDER,
  crossesMidnight,
  minutesOf,
  newWindow,
  type DraftErrors,
  type WeekDraft,
  type WindowDraft,
} from './serviceHours';

const WORKDAYS = [2, 3, 4, 5]; // Tuesday to Friday: where Monday's hours are copied

export function dayName(day: number): string {
  return t(`hours.day.${day}` as MessageKey);
}

// A new window after the day's last one: from its end, four hours long (to midnight at most).
function nextWindow(windows: WindowDraft[]): WindowDraft {
  const last = windows[windows.length - 1];
  const start = last ? (minutesOf(last.end) ?? 0) : 8 * 60;
  if (!last || start === 0 || start >= 23 * 60) return newWindow();
  const end = Math.min(start + 4 * 60, 24 * 60) % (24 * 60);
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
  return newWindow(hhmm(start), hhmm(end));
}

function DayHours(props: {
  day: number;
  windows: WindowDraft[];
  errors: DraftErrors;
  onChange: (windows: WindowDraft[]) => void;
  onCopy?: () => void;
}) {
  const { day, windows } = props;
  const set = (i: number, patch: Partial<WindowDraft>) =>
    props.onChange(windows.map((w, j) => (j === i ? { ...w, ...patch } : w)));
  const name = dayName(day);
  return (
    <fieldset class="day-hours">
      <legend class="legend-title">{name}</legend>
      {windows.length === 0 && <p class="muted-text day-closed">{t('hours.closedDay')}</p>}
      {windows.map((w, i) => {
        const error = props.errors[`w.${day}.${i}`];
        const errId = `w-${day}-${w.key}-error`;
        const which = <span class="visually-hidden"> ({t('hours.windowN', { n: i + 1 })})</span>;
        return (
          <div key={w.key} class={error ? 'window-row has-error' : 'window-row'}>
            <div class="window-times">
              <label>
                <span class="window-label">
                  {t('hours.from')}
                  {which}
                </span>
                <input
                  type="time"
                  name={`w.${day}.${i}`}
                  value={w.start}
                  required
                  aria-invalid={error ? 'true' : undefined}
                  aria-describedby={error ? errId : undefined}
                  onInput={(e) => set(i, { start: (e.currentTarget as HTMLInputElement).value })}
                />
              </label>
              <label>
                <span class="window-label">
                  {t('hours.to')}
                  {which}
                </span>
                <input
                  type="time"
                  value={w.end}
                  required
                  aria-invalid={error ? 'true' : undefined}
                  aria-describedby={error ? errId : undefined}
                  onInput={(e) => set(i, { end: (e.currentTarget as HTMLInputElement).value })}
                />
              </label>
              <button
                type="button"
                class="btn btn-quiet btn-small"
                aria-label={t('hours.removeWindow', { day: name, n: i + 1 })}
                onClick={() => props.onChange(windows.filter((_, j) => j !== i))}
              >
                {t('hours.remove')}
              </button>
            </div>
            {crossesMidnight(w) && !error && <p class="hint">{t('hours.pastMidnight')}</p>}
            {error && (
              <p class="field-error" id={errId}>
                {tm(error)}
              </p>
            )}
          </div>
        );
      })}
      <div class="day-actions">
        <button
          type="button"
          class="btn btn-quiet btn-small"
          aria-label={t('hours.addWindowTo', { day: name })}
          onClick={() => props.onChange([...windows, nextWindow(windows)])}
        >
          {t('hours.addWindow')}
        </button>
        {props.onCopy && (
          <button type="button" class="btn btn-quiet btn-small" onClick={props.onCopy}>
            {t('hours.copyToWeekdays')}
          </button>
        )}
      </div>
    </fieldset>
  );
}

export function ServiceHoursWeek(props: { week: WeekDraft; errors: DraftErrors; onChange: (week: WeekDraft) => void }) {
  const setDay = (day: number, windows: WindowDraft[]) =>
    props.onChange(props.week.map((w, d) => (d === day ? windows : w)));
  const copyMonday = () => {
    const monday = props.week[1] ?? [];
    props.onChange(
      props.week.map((w, d) => (WORKDAYS.includes(d) ? monday.map((x) => newWindow(x.start, x.end)) : w)),
    );
  };
  return (
    <div class="week-hours">
      {WEEK_ORDER.map((day) => (
        <DayHours
          key={day}
          day={day}
          windows={props.week[day] ?? []}
          errors={props.errors}
          onChange={(windows) => setDay(day, windows)}
          {...(day === 1 ? { onCopy: copyMonday } : {})}
        />
      ))}
    </div>
  );
}
