-- Reminder windows become part of a fund's rules (workflows/rules.ts, "reminders"), which
-- are parsed whole or refused: funds and rounds stored before get the windows the service
-- used until now (7 days before a round closes, 14 before a planned gate, 7 before a gate
-- condition is due).
UPDATE "Fund"
   SET rules = rules || '{"reminders": {"roundClosingDays": 7, "gateDueDays": 14, "conditionDueDays": 7}}'::jsonb
 WHERE jsonb_typeof(rules) = 'object' AND NOT (rules ? 'reminders');

UPDATE "Round"
   SET rules = rules || '{"reminders": {"roundClosingDays": 7, "gateDueDays": 14, "conditionDueDays": 7}}'::jsonb
 WHERE rules IS NOT NULL AND jsonb_typeof(rules) = 'object' AND NOT (rules ? 'reminders');
