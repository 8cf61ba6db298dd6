-- Verify feeds:table_dba_tsftpdownload on pg
SELECT download_id, source, remote_name, remote_size, remote_mtime, sha256, local_path, downloaded_at, deleted_at
  FROM dba.tsftpdownload WHERE false;
