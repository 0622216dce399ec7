# A fresh store: admin (admin+clinician), clinicians dr_a and dr_b, compliance carol; dr_a saves one invented visit.
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"
rm -rf "$H"
cat > visit.txt <<'TXT'
[doctor] Good morning, what brings you in today?
[patient] I have had a cough for three weeks, zebrafinchcough.
[doctor] Any fever? Are you taking lisinopril 10 mg daily?
[patient] No fever. Yes, lisinopril every morning.
[doctor] Your lungs sound clear. We will get a chest x-ray and follow up in two weeks.
TXT
AMBIENTNOTE_USER=admin AMBIENTNOTE_NEW_PASSWORD=$AP $AN db init > init.out
grep -o '[A-Z0-9]\{4\}\(-[A-Z0-9]\{4\}\)\{12\}' init.out > rk.txt && chmod 600 rk.txt && rm init.out
for u in "dr_a clinician $A1" "dr_b clinician $B1" "carol compliance $C1"; do
  set -- $u; AMBIENTNOTE_NEW_PASSWORD=$3 as admin $AP user add "$1" --role "$2"
done
as dr_a $A1 draft visit.txt --save --patient 'Quillon Marbury' --mrn ZX-99812 --dob 1950-02-03 --quiet > /dev/null
