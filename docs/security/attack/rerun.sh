# Every case of docs/security/attack-rerun.md but D12-D14 (their own commands), one block each, from an empty
# scratch folder: `mkdir /tmp/attack && cd /tmp/attack && bash /work/main/docs/security/attack/rerun.sh`.
# Each case's output goes to out/<case>.txt, to be read against the table's "expected" column (about 4 min).
set -u
A=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir out && . "$A/setup.sh" > out/setup.txt 2>&1
cp -a home home0
c() { echo "\$ $*"; "$@" 2>&1; echo "[rc=$?]"; }
fresh() { rm -rf "$1"; cp -a home0 "$1"; }
{ umask 022; c as dr_a $A1 draft visit.txt --out o.txt --quiet; c as admin $AP db backup --out b.db
  c as dr_a $A1 note export 1 --format pdf --out n1.pdf; c as dr_a $A1 note export 1 --format fhir --out n1.fhir
  c as carol $C1 audit export --format jsonl --out a.jsonl; stat -c '%a %n' o.txt b.db n1.pdf* n1.fhir* a.jsonl*; } > out/D1.txt
{ echo keep > victim; ln -s victim o2.txt.tmp; ln -s victim .o2.txt.tmp; c as dr_a $A1 draft visit.txt --out o2.txt --quiet; cat victim; } > out/D2.txt
{ AMBIENTNOTE_NEW_PASSWORD=$A1 c as admin $AP user add "dr_а" --role clinician; } > out/D3.txt
{ AMBIENTNOTE_NEW_PASSWORD=$A1 c as admin $AP user add "ｄｒ_a" --role clinician; } > out/D4.txt
{ AMBIENTNOTE_NEW_PASSWORD=$A1 c as admin $AP user add "$(printf 'mu\u0308ller')" --role clinician
  AMBIENTNOTE_NEW_PASSWORD=$A1 c as admin $AP user add "müller" --role clinician; } > out/D5.txt
{ for p in aaaaaaaa password123 'Password1!' short; do AMBIENTNOTE_NEW_PASSWORD=$p c as admin $AP user add pwtest --role clinician; done; } > out/D6.txt
{ c as velvet-kumquat-ladder-9 x encounter list; grep -c velvet home/keys.json; c as carol $C1 audit show | grep -c velvet
  c as carol $C1 audit export --format csv --out a.csv; grep -c velvet a.csv; grep -o 'unknown:[0-9a-f]*' a.csv | head -1; } > out/D7.txt
{ c as dr_a $A1 draft visit.txt --out "$(printf 'n%.0s' {1..300}).txt" --quiet; c as dr_a $A1 note export 1 --out "$(printf 'n%.0s' {1..300}).txt"; } > out/D8.txt
{ c as admin $AP db backup --out nodir/x.db; } > out/D9.txt
{ fresh home2; $PY -c "
p='home2/store.db'; d=bytearray(open(p,'rb').read()); n=len(d)//4096; pg=min(36,n-2); o=(pg-1)*4096+100
d[o:o+64]=bytes(b^0xff for b in d[o:o+64]); open(p,'wb').write(d); print('damaged page', pg, 'of', n)"; AMBIENTNOTE_HOME=$PWD/home2 c as admin $AP db check; } > out/D10.txt
{ fresh home3; AMBIENTNOTE_HOME=$PWD/home3 $PY -c "
import sys; sys.path.insert(0, '$A'); from common import PASSWORDS
from ambientnote.config import load_settings; from ambientnote.store.session import login
s=login('dr_b',PASSWORDS['dr_b'],cfg=load_settings()); c=s.store.conn
c.execute('DROP TRIGGER audit_no_delete'); n=c.execute('SELECT max(seq) FROM audit_event').fetchone()[0]
c.execute('DELETE FROM audit_event WHERE seq > ?',(n-5,)); c.commit(); print('deleted', n-4, 'to', n)"
  AMBIENTNOTE_HOME=$PWD/home3 c as carol $C1 audit verify; AMBIENTNOTE_HOME=$PWD/home3 c as admin $AP db check; } > out/D11.txt
{ fresh home5; AMBIENTNOTE_HOME=$PWD/home5 PYTHONPATH=$A c $PY $A/rewrite.py
  AMBIENTNOTE_HOME=$PWD/home5 c as carol $C1 audit verify; AMBIENTNOTE_HOME=$PWD/home5 c as admin $AP db check
  AMBIENTNOTE_HOME=$PWD/home5 c as carol $C1 audit show --user dr_b; } > out/H1b.txt
{ for w in dr_b carol admin; do eval p=\$$( [ $w = dr_b ] && echo B1 || { [ $w = carol ] && echo C1 || echo AP; } )
  echo "== $w"; c as $w $p encounter show 1; c as $w $p encounter show 1 --json; c as $w $p note export 1 --format txt --out e-$w.txt
  c as $w $p note export 1 --format fhir --out e-$w.fhir; c as $w $p note export 1 --format pdf --out e-$w.pdf
  c as $w $p encounter set 1 --mrn AB-1; c as $w $p encounter delete 1 </dev/null; c as $w $p note sign 1 </dev/null; done; ls e-* 2>&1; } > out/E1-3.txt
{ c as carol $C1 encounter overview; c as admin $AP encounter overview; c as dr_b $B1 encounter overview; } > out/E4.txt
{ fresh home7; AMBIENTNOTE_HOME=$PWD/home7 PYTHONPATH=$A c $PY $A/insider.py; export AMBIENTNOTE_HOME=$PWD/home7
  c as admin $AP db check; c as carol $C1 encounter overview   # E12, before dr_a logs in again
  c as dr_b $B1 encounter list; c as dr_a $A1 encounter list; c as dr_b $B1 encounter show 1; c as admin $AP db check
  export AMBIENTNOTE_HOME=$H; } > out/E5-6-9-12.txt
{ fresh home8; AMBIENTNOTE_HOME=$PWD/home8 PYTHONPATH=$A c $PY $A/services.py; ls g-* 2>&1; } > out/E7-8.txt
{ c as admin $AP encounter break-glass 1 --recovery-key-file rk.txt --reason '   '
  c as admin $AP encounter break-glass 1 --recovery-key-file /nonexistent --reason x
  echo garbage > bad.txt; c as admin $AP encounter break-glass 1 --recovery-key-file bad.txt --reason x
  c as admin $AP encounter break-glass 99 --recovery-key-file rk.txt --reason x
  c as admin $AP encounter break-glass 1 --recovery-key-file rk.txt --reason 'complaint review' | head -5
  c as carol $C1 audit show | grep -i break | tail -3; } > out/E9-11.txt
{ fresh home6; AMBIENTNOTE_HOME=$PWD/home6 PYTHONPATH=$A c $PY $A/forge.py; export AMBIENTNOTE_HOME=$PWD/home6
  c as dr_a $A1 encounter list; c as dr_a $A1 encounter show 2; c as dr_a $A1 note sign 2 </dev/null; c as admin $AP db check
  c as admin $AP encounter break-glass 2 --recovery-key-file rk.txt --reason 'forgery review' | head -4; export AMBIENTNOTE_HOME=$H; } > out/E13.txt
{ rm -rf home4; AMBIENTNOTE_HOME=$PWD/home4 c as dr_b $B1 db restore b.db; AMBIENTNOTE_HOME=$PWD/home4 c as admin $AP db restore b.db
  AMBIENTNOTE_HOME=$PWD/home4 c as dr_b $B1 encounter show 1; AMBIENTNOTE_HOME=$PWD/home4 c as dr_a $A1 encounter show 1 | head -3; } > out/E14.txt
{ fresh home9; export AMBIENTNOTE_HOME=$PWD/home9; NEW=new-dr-a-passphrase-77
  AMBIENTNOTE_NEW_PASSWORD=$NEW c as admin $AP user passwd dr_a; c as dr_a $NEW encounter list; c as dr_a $NEW encounter show 1
  echo WRONG > wrk.txt; c as admin $AP user restore-keys dr_a --recovery-key-file wrk.txt; c as dr_b $B1 user restore-keys dr_a --recovery-key-file rk.txt
  c as admin $AP user restore-keys dr_a --recovery-key-file rk.txt; c as dr_a $NEW encounter show 1 | head -3; export AMBIENTNOTE_HOME=$H; } > out/E15.txt
{ fresh home10; export AMBIENTNOTE_HOME=$PWD/home10; NEW=new-dr-a-passphrase-88
  c as admin $AP db rekey | grep -v '^  '; AMBIENTNOTE_NEW_PASSWORD=$NEW c as admin $AP user passwd dr_a
  c as admin $AP user restore-keys dr_a --recovery-key-file rk.txt; c as dr_a $NEW encounter show 1 | head -3
  c as admin $AP encounter break-glass 1 --recovery-key-file rk.txt --reason rekey-check | head -3; export AMBIENTNOTE_HOME=$H; } > out/E16.txt
{ fresh home11; AMBIENTNOTE_HOME=$PWD/home11 PYTHONPATH=$A c $PY $A/spool.py; } > out/E17.txt
{ c as dr_a $A1 draft visit.txt --save --patient 'Quillon Marbury' --mrn ZX-99812 --quiet
  grep -rl -e Quillon -e ZX-99812 -e zebrafinch home /tmp ~/.cache 2>/dev/null | grep -v "^$PWD/" | head; echo "[grep done: outside this folder]"; } > out/E18.txt
{ find home -printf '%m %p\n'; } > out/E19.txt
{ c as dr_b $B1 user add eve --role admin </dev/null; c as dr_b $B1 user passwd admin </dev/null; c as dr_b $B1 user enable admin </dev/null; } > out/E20.txt
{ c as dr_b $B1 db policy onprem_deid false; c as dr_b $B1 db backup --out bb.db; c as dr_b $B1 audit show; } > out/E21.txt
{ c as admin $AP encounter delete 1 </dev/null; } > out/E22.txt
echo ALL DONE
