-- Revert feeds:function_visitas_files_to_archive from pg
BEGIN;

DROP FUNCTION visitas.files_to_archive(text);

COMMIT;
