-- Trigram matching for the errors list's case-insensitive message search (ILIKE on a GIN index).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
