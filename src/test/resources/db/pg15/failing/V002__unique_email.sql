-- Fails while duplicate e-mails exist, leaving an INVALID index behind.
CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS accounts_email_key ON accounts (email);
