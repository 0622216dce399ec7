# Source this from a scratch folder: a throwaway store in ./home, cheap KDF, and `as USER PASSWORD COMMAND…`.
# Every name, password and patient detail here is invented.
export H=$PWD/home
export AMBIENTNOTE_HOME=$H AMBIENTNOTE_POLICY=$H/no-site-policy.toml XDG_CONFIG_HOME=$H/config
export AMBIENTNOTE_KDF_MEMORY_KIB=1024 AMBIENTNOTE_KDF_TIME_COST=1 AMBIENTNOTE_LOGIN_BACKOFF_SECONDS=0
AN=${AN:-/work/main/.venv/bin/ambientnote}
PY=${PY:-/work/main/.venv/bin/python}
AP='Tr0ub4dor-horse-admin' A1='velvet-kumquat-ladder-9' B1='orchid-glacier-tumble-4' C1='saffron-pylon-drizzle-7'
as() { local u=$1 p=$2; shift 2; AMBIENTNOTE_USER=$u AMBIENTNOTE_PASSWORD=$p $AN "$@"; }
