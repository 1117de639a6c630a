// One keyword auto-reply's form, for a new rule and for changing one: the keywords (commas or
// new lines between them), exact or contains, the reply text and whether it is on.
import { api } from '../api/client';
import type { AutoReply } from '../api/types';
import { useForm } from '../forms/useForm';
import { t } from '../i18n';
import { TextField } from '../ui/Field';
import { FormError } from '../ui/Messages';
import { RadioGroup } from '../ui/RadioGroup';
import { CheckField, TextAreaField } from './SettingsFields';
import { REPLY_MAX, ruleBody, ruleInitial, ruleSchema, ruleValues } from './autoReplies';

export function AutoRepliesForm(props: { rule?: AutoReply; onSaved: (r: AutoReply) => void; onCancel?: () => void }) {
  const form = useForm(props.rule ? ruleValues(props.rule) : ruleInitial, ruleSchema);
  const submit = form.onSubmit(async (v) => {
    const body = ruleBody(v);
    const saved = props.rule ? await api.updateAutoReply(props.rule.id, body) : await api.createAutoReply(body);
    if (!props.rule) form.reset();
    props.onSaved(saved);
  });
  return (
    <form ref={form.ref} onSubmit={submit} noValidate class="auto-reply-form">
      <TextField
        form={form}
        name="keywords"
        label={t('autoReply.keywords')}
        hint={t('autoReply.keywordsHint')}
        autoComplete="off"
      />
      <RadioGroup
        legend={t('autoReply.match')}
        hint={t(form.values.match === 'exact' ? 'autoReply.matchExactHint' : 'autoReply.matchContainsHint')}
        name="match"
        value={form.values.match}
        options={[
          { value: 'contains', label: t('autoReply.match.contains') },
          { value: 'exact', label: t('autoReply.match.exact') },
        ]}
        onChange={(v) => form.set('match', v)}
      />
      <TextAreaField
        name="reply_text"
        label={t('autoReply.reply')}
        value={form.values.reply_text}
        maxLength={REPLY_MAX}
        error={form.errors.reply_text}
        onInput={(v) => form.set('reply_text', v)}
      />
      <CheckField
        name="active"
        label={t('autoReply.active')}
        checked={form.values.active === 'true'}
        onChange={(v) => form.set('active', v ? 'true' : 'false')}
      />
      <FormError msg={form.formError} />
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={form.busy}>
          {form.busy ? t('common.saving') : props.rule ? t('common.save') : t('autoReply.create')}
        </button>
        {props.onCancel && (
          <button type="button" class="btn btn-quiet" onClick={props.onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}
