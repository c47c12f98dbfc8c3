"""LibreOffice headless: Word files to PDF, many per process, with tables of contents filled in.

Each call runs LibreOffice with a profile of its own in a temporary folder (so a LibreOffice
the coach has open is neither used nor disturbed), copies the documents there first and
returns the PDFs as bytes: the caller writes them into place whole, and nothing is left
behind when LibreOffice fails, is missing or runs out of time. Filling in a table of contents
needs a macro (`--convert-to` prints the one saved in the file); it is written into that
temporary profile as a LibreOffice Basic library, so no Python-UNO bridge is needed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from artifactgen.errors import OutputError

DEFAULT_TIMEOUT = 180.0  # seconds for one LibreOffice process, however many files it converts
INSTALL_HINT = (
    "LibreOffice is needed to make PDFs and was not found (no `soffice` on the PATH); install it "
    "from https://www.libreoffice.org/download/ (Debian or Ubuntu: sudo apt-get install "
    "libreoffice-writer; macOS: brew install --cask libreoffice), then run this again"
)
_PLACES = (
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)
_LIBRARY = "Artifactgen"
_MACRO = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">
<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Export"
 script:language="StarBasic">
Sub ExportAll(jobFile As String)
  On Error Goto Failed
  Dim n As Integer, sLine As String, parts, doc, indexes, i As Integer, pass As Integer
  Dim load(1) As New com.sun.star.beans.PropertyValue
  Dim export(0) As New com.sun.star.beans.PropertyValue
  load(0).Name = "Hidden" : load(0).Value = True
  load(1).Name = "MacroExecutionMode" : load(1).Value = 0
  export(0).Name = "FilterName" : export(0).Value = "writer_pdf_Export"
  n = FreeFile
  Open jobFile For Input As #n
  Do While Not EOF(n)
    Line Input #n, sLine
    If sLine &lt;&gt; "" Then
      parts = Split(sLine, Chr(9))
      doc = StarDesktop.loadComponentFromURL(ConvertToURL(parts(0)), "_blank", 0, load())
      indexes = doc.getDocumentIndexes()
      For pass = 1 To 2
        For i = 0 To indexes.getCount() - 1
          indexes.getByIndex(i).update()
        Next
      Next
      doc.storeToURL(ConvertToURL(parts(1)), export())
      doc.close(True)
    End If
  Loop
  Close #n
  StarDesktop.terminate()
  Exit Sub
Failed:
  StarDesktop.terminate()
End Sub
</script:module>
"""
_SCRIPT_XLB = f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE library:library PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "library.dtd">
<library:library xmlns:library="http://openoffice.org/2000/library" library:name="{_LIBRARY}"
 library:readonly="false" library:passwordprotected="false">
 <library:element library:name="Export"/>
</library:library>
"""
_LIBRARY_ENTRY = (
    f' <library:library library:name="{_LIBRARY}" '
    f'xlink:href="$(USER)/basic/{_LIBRARY}/script.xlb/" xlink:type="simple" '
    'library:link="false"/>\n'
)


def find_soffice() -> str | None:
    """LibreOffice's program: $ARTIFACTGEN_SOFFICE, `soffice` or `libreoffice` on the PATH, or
    where the macOS and Windows installers put it."""
    named = os.environ.get("ARTIFACTGEN_SOFFICE")
    if named:
        return named if Path(named).is_file() else None
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((place for place in _PLACES if Path(place).is_file()), None)


def require_soffice() -> str:
    """The LibreOffice program, or OutputError saying how to install it."""
    soffice = find_soffice()
    if soffice is None:
        raise OutputError.at("soffice", 0, 0, INSTALL_HINT)
    return soffice


def to_pdf(
    documents: list[Path], *, fill_contents: bool = False, timeout: float = DEFAULT_TIMEOUT
) -> list[bytes]:
    """Each Word file as PDF bytes, in order, from one LibreOffice process.

    With `fill_contents`, every table of contents is updated (twice, so that its own length
    is counted in the page numbers) before the PDF is made."""
    soffice = require_soffice()
    if not documents:
        return []
    with tempfile.TemporaryDirectory(prefix="artifactgen-office-") as scratch:
        root = Path(scratch)
        (root / "in").mkdir()
        (root / "out").mkdir()
        sources = []
        for number, document in enumerate(documents):
            source = root / "in" / f"{number:04d}.docx"
            shutil.copyfile(document, source)  # what is converted cannot change meanwhile
            sources.append(source)
        profile = f"-env:UserInstallation={(root / 'profile').as_uri()}"
        base = [soffice, profile, "--headless", "--invisible", "--norestore", "--nologo"]
        if fill_contents:
            _run([*base, "--terminate_after_init"], timeout)  # creates the profile
            _install_macro(root / "profile")
            jobs = root / "jobs.txt"
            jobs.write_text(
                "".join(f"{src}\t{root / 'out' / (src.stem + '.pdf')}\n" for src in sources),
                encoding="utf-8",
            )
            _run([*base, f'macro:///{_LIBRARY}.Export.ExportAll("{jobs}")'], timeout)
        else:
            out = str(root / "out")
            _run([*base, "--convert-to", "pdf", "--outdir", out, *map(str, sources)], timeout)
        results = []
        for source, document in zip(sources, documents, strict=True):
            pdf = root / "out" / f"{source.stem}.pdf"
            data = pdf.read_bytes() if pdf.is_file() else b""
            if not data.startswith(b"%PDF"):
                raise OutputError.at(
                    document, 0, 0, "LibreOffice could not make a PDF of this document"
                )
            results.append(data)
        return results


def _install_macro(profile: Path) -> None:
    basic = profile / "user" / "basic"
    library = basic / _LIBRARY
    library.mkdir(parents=True, exist_ok=True)
    (library / "Export.xba").write_text(_MACRO, encoding="utf-8")
    (library / "script.xlb").write_text(_SCRIPT_XLB, encoding="utf-8")
    listing = basic / "script.xlc"
    text = listing.read_text(encoding="utf-8") if listing.is_file() else ""
    if "</library:libraries>" not in text:
        raise OutputError.at(listing, 0, 0, "LibreOffice did not set up its profile")
    end = "</library:libraries>"
    listing.write_text(text.replace(end, _LIBRARY_ENTRY + end), encoding="utf-8")


def _run(command: list[str], timeout: float) -> None:
    """Run LibreOffice; on timeout end it and everything it started."""
    with subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=sys.platform != "win32",
    ) as process:
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if sys.platform != "win32":
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            process.communicate()
            raise OutputError.at(
                "soffice",
                0,
                0,
                f"LibreOffice did not finish in {timeout:g} seconds; nothing was written. "
                "Try again with a longer --timeout",
            ) from None
    if process.returncode != 0:
        said = stderr.decode("utf-8", "replace").strip().splitlines()
        detail = f": {said[-1]}" if said else ""
        raise OutputError.at(
            "soffice", 0, 0, f"LibreOffice stopped with status {process.returncode}{detail}"
        )
