// The lead status switch (none / hot / warm / cold): applies at once.
import { LEAD_STATUSES, type LeadStatus } from '../api/types';
import { t } from '../i18n';
import { RadioGroup } from '../ui/RadioGroup';

export function LeadSwitch(props: {
  value: LeadStatus | null;
  disabled?: boolean;
  onChange: (next: LeadStatus | null) => void;
}) {
  const options = [
    { value: 'none', label: t('contacts.lead.none') },
    ...LEAD_STATUSES.map((s) => ({ value: s, label: t(`contacts.lead.${s}`) })),
  ];
  return (
    <RadioGroup
      legend={t('contacts.leadStatus')}
      name="lead"
      value={props.value ?? 'none'}
      options={options}
      disabled={props.disabled}
      onChange={(v) => props.onChange(v === 'none' ? null : (v as LeadStatus))}
    />
  );
}
