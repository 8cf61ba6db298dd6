-- Deploy feeds:table_dba_tdataloads_load_path to pg
-- requires: table_dba_tdataloads
BEGIN;

ALTER TABLE dba.tdataloads
    ADD COLUMN load_path text
        CONSTRAINT tdataloads_load_path_check CHECK (load_path IN ('direct_path', 'one_pass', 'full_validation')),
    ADD COLUMN path_note text;
COMMENT ON COLUMN dba.tdataloads.load_path IS
'Which way the engine read and loaded the file: direct_path (file_fdw, nothing staged), one_pass (one INSERT … SELECT over the staged lines) or full_validation (every rule of every row recorded); NULL when the load never got that far (duplicate, unreadable file, dry run).';
COMMENT ON COLUMN dba.tdataloads.path_note IS
'When a load left a faster way: why, one "<way>: <reason>" per way left, separated by "; " (e.g. "direct path: the file has the quote character; one pass: line 7 is not plainly valid").';

COMMIT;
