-- A status that arrived before its message (wa_pending_statuses) can only belong to a message the
-- business sent: WhatsApp reports sent, delivered, read and failed for those alone. The trigger
-- that applies a waiting status on insert (0002) ran for customer messages too, one DELETE per
-- message on the webhook path that never found anything; it now runs for outbound messages only.
DROP TRIGGER messages_pending_status ON messages;
CREATE TRIGGER messages_pending_status BEFORE INSERT ON messages
    FOR EACH ROW WHEN (NEW.direction = 'out' AND NEW.wamid IS NOT NULL)
    EXECUTE FUNCTION messages_apply_pending_status();
