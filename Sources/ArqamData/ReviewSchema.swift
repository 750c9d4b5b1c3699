import GRDB

/// The review database's schema, one migration per version; a migration, once shipped, never changes.
enum ReviewSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE decision (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    path TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('accepted', 'corrected', 'unreadable', 'skipped')),
                    label TEXT,
                    prediction TEXT,
                    confidence REAL,
                    model TEXT,
                    decided_at DATETIME NOT NULL,
                    station TEXT NOT NULL,
                    withdrawn_at DATETIME
                );
                CREATE INDEX decision_by_path ON decision(path);
                CREATE TABLE prediction (
                    content_hash TEXT NOT NULL,
                    model TEXT NOT NULL,
                    text TEXT NOT NULL,
                    confidence REAL NOT NULL,
                    trace BLOB NOT NULL,
                    alternatives TEXT NOT NULL,
                    read_at DATETIME NOT NULL,
                    PRIMARY KEY (content_hash, model)
                ) WITHOUT ROWID;
                CREATE TABLE queue_file (
                    path TEXT PRIMARY KEY,
                    size INTEGER NOT NULL,
                    modified_ns INTEGER NOT NULL,
                    content_hash TEXT NOT NULL
                ) WITHOUT ROWID;
                CREATE TABLE station_lock (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    host TEXT NOT NULL,
                    pid INTEGER NOT NULL,
                    boot_id TEXT NOT NULL,
                    since DATETIME NOT NULL
                );
                """)
        }
        return migrator
    }
}
