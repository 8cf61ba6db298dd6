-- Deploy feeds:table_dba_tsftpdownload to pg
-- requires: schema_dba
-- requires: role_feeds_etl
-- requires: role_feeds_reader
BEGIN;

CREATE TABLE dba.tsftpdownload (
    download_id   bigint GENERATED ALWAYS AS IDENTITY CONSTRAINT tsftpdownload_pkey PRIMARY KEY,
    source        text NOT NULL,
    remote_name   text NOT NULL,
    remote_size   bigint NOT NULL CONSTRAINT tsftpdownload_remote_size_check CHECK (remote_size >= 0),
    remote_mtime  bigint NOT NULL,
    sha256        text NOT NULL CONSTRAINT tsftpdownload_sha256_check CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    local_path    text NOT NULL,
    downloaded_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    deleted_at    timestamptz,
    CONSTRAINT tsftpdownload_version_key UNIQUE (source, remote_name, remote_size, remote_mtime)
);
CREATE INDEX tsftpdownload_sha256_idx ON dba.tsftpdownload (sha256);

ALTER TABLE dba.tsftpdownload OWNER TO feeds_owner;
GRANT SELECT ON dba.tsftpdownload TO feeds_etl, feeds_reader;

COMMENT ON TABLE dba.tsftpdownload IS
'One row per version of a remote file that `feeds sftp pull` downloaded (written by dba.sftp_downloaded): a version is never downloaded twice, and its remote file is deleted only once its content is loaded (dba.sftp_to_delete).';
COMMENT ON COLUMN dba.tsftpdownload.download_id IS 'Identity of the download.';
COMMENT ON COLUMN dba.tsftpdownload.source IS 'Where it came from: user@host:port/remote/dir.';
COMMENT ON COLUMN dba.tsftpdownload.remote_name IS 'File name in the remote directory.';
COMMENT ON COLUMN dba.tsftpdownload.remote_size IS 'Size in bytes on the server when downloaded.';
COMMENT ON COLUMN dba.tsftpdownload.remote_mtime IS 'Modification time on the server (seconds since 1970, as SFTP reports it) when downloaded.';
COMMENT ON COLUMN dba.tsftpdownload.sha256 IS 'sha256 of the downloaded bytes: how a load of the content is found in dba.tdataloads.';
COMMENT ON COLUMN dba.tsftpdownload.local_path IS 'Where the file was saved.';
COMMENT ON COLUMN dba.tsftpdownload.downloaded_at IS 'When the download was confirmed.';
COMMENT ON COLUMN dba.tsftpdownload.deleted_at IS 'When the remote file was deleted (or found gone) after its content loaded; NULL while it stays.';

COMMIT;
