# Build, sign and checksum the Windows installer. Runs on a Windows runner (.github/workflows/installers.yml)
# from a checkout with Python 3.11 and `pip install -e .[package]` done; WiX v5 (`dotnet tool install -g wix`)
# and signtool (Windows SDK) on PATH. The bundle, the SBOM and the OpenPGP/SHA256SUMS step are the Linux ones:
# packaging/ambientnote.spec, packaging/sbom.py, packaging/sign.
#
# Environment: OUT_DIR (default dist); Authenticode: WINDOWS_CERT_PFX (path to a .pfx outside the checkout) and
# WINDOWS_CERT_PASSWORD, or WINDOWS_CERT_THUMBPRINT (a certificate in the machine store, e.g. an HSM-backed one);
# none set: unsigned (test builds only). SIGNING_KEY_ID etc.: OpenPGP, as in packaging/sign.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")
$OutDir = if ($env:OUT_DIR) { $env:OUT_DIR } else { "dist" }
$Work = Join-Path $OutDir "work"
$Version = python -c "import tomllib; print(tomllib.load(open('pyproject.toml', 'rb'))['project']['version'])"
$Name = "AmbientNote-$Version-x64"

python -m PyInstaller --noconfirm --log-level WARN --distpath "$Work\bundle" --workpath "$Work\pyinstaller" packaging\ambientnote.spec
$Bundle = (Resolve-Path "$Work\bundle\ambientnote").Path
& "$Bundle\ambientnote.exe" models verify
if ($LASTEXITCODE -ne 0) { throw "models verify failed in the bundle" }
python packaging\sbom.py --bundle $Bundle --contents "$Work\pyinstaller\ambientnote\contents.json" --version $Version --out "$OutDir\$Name.cdx.json"

function Sign-Authenticode($Paths) {
    $Common = @("sign", "/fd", "SHA256", "/tr", "http://timestamp.digicert.com", "/td", "SHA256")
    if ($env:WINDOWS_CERT_PFX) { signtool @Common /f $env:WINDOWS_CERT_PFX /p $env:WINDOWS_CERT_PASSWORD @Paths }
    elseif ($env:WINDOWS_CERT_THUMBPRINT) { signtool @Common /sha1 $env:WINDOWS_CERT_THUMBPRINT /sm @Paths }
    else { Write-Warning "No Authenticode certificate configured: $Paths left unsigned."; return }
    if ($LASTEXITCODE -ne 0) { throw "signtool failed" }
}
Sign-Authenticode @("$Bundle\ambientnote.exe", "$Bundle\ambientnote-selfcheck.exe")
wix build packaging\windows\AmbientNote.wxs -arch x64 -d Version=$Version -d BundleDir=$Bundle -o "$OutDir\$Name.msi"
if ($LASTEXITCODE -ne 0) { throw "wix build failed" }
Sign-Authenticode @("$OutDir\$Name.msi")

if ($env:SIGNING_KEY_ID) { bash packaging/sign "$OutDir/$Name.msi" "$OutDir/$Name.cdx.json" }
Get-ChildItem $OutDir -File | Format-Table Name, Length
