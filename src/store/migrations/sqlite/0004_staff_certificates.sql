-- Client certificates of staff (Art. 21 "身份认证(CA)"): a staff member may sign in by the
-- subject of a certificate issued by the CA the server trusts, plus password or TOTP.
-- The subject is the RFC 2253 one-line form the server reads from the verified
-- certificate, e.g. 'CN=Li Lei,OU=Licensing,O=Chaozhou'. One subject names one account
-- and an account has at most one subject.
-- Keep in step with ../postgres/0004_staff_certificates.sql.

CREATE TABLE staff_certificates (
  subject    TEXT PRIMARY KEY CHECK (subject <> ''),
  account_id TEXT NOT NULL UNIQUE REFERENCES accounts (id) ON DELETE CASCADE
);
