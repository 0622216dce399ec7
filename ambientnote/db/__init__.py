"""The store's low layer: the SQLCipher connection, the data key and its wraps, the schema, and the mapping of
database errors to one sentence. It knows nothing of accounts or the audit.

Why a package of its own: the audit log lives in the store's database, and the store's services write
their changes and the audit events about them in one transaction, so both ``ambientnote.audit`` and
``ambientnote.store`` need the connection. With the connection here, below both, the import order is one way
(store → audit → db), and ``Store.transaction`` reaches the audit only through the ``on_commit`` hooks the
audit installs (``ambientnote.audit.commit_hooks``). Atomic writes and file locks, which every module that
writes a file uses, are ``ambientnote.files``, below this.
"""
