-- Bearer tokens of the HTTP API. Only the SHA-256 of a token is kept: a copy of the database
-- does not let anyone call the API. A revoked token's row is deleted; the audit log keeps the story.
CREATE TABLE access_tokens (
  name        VARCHAR(200) NOT NULL PRIMARY KEY,
  role        VARCHAR(16)  NOT NULL,
  token_hash  VARCHAR(64)  NOT NULL UNIQUE,
  created_at  TIMESTAMP(6) WITH TIME ZONE NOT NULL
);
