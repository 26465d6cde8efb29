"""Bridge between one warm LibreOffice and the pool (runs under the system python3).

Started by office.py as the leader of its own process group; starts soffice as its
child, connects over a private pipe, then serves one JSON request per stdin line:

    {"input": "/job/in.docx", "output": "/job/out.pdf", "filter": "", "options": ""}

and answers one JSON line: {"ok": true, "kind": "writer"} or
{"ok": false, "code": "corrupt" | "encrypted" | "crashed", "detail": "..."}.
A lost connection to soffice ends this process; the pool then starts a fresh pair.
This file must import only the standard library and LibreOffice's `uno`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.lang import DisposedException

# com.sun.star.document.MacroExecMode.NEVER_EXECUTE / UpdateDocMode.NO_UPDATE
NEVER_EXECUTE = 0
NO_UPDATE = 0
EXPORT_FILTERS = (
    ("com.sun.star.text.GenericTextDocument", "writer_pdf_Export", "writer"),
    ("com.sun.star.sheet.SpreadsheetDocument", "calc_pdf_Export", "calc"),
    ("com.sun.star.presentation.PresentationDocument", "impress_pdf_Export", "impress"),
    ("com.sun.star.drawing.DrawingDocument", "draw_pdf_Export", "draw"),
)


def prop(name, value):
    item = PropertyValue()
    item.Name = name
    item.Value = value
    return item


def reply(payload):
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def connect(pipe, soffice, deadline):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
    while True:
        try:
            return resolver.resolve(url)
        except NoConnectException:
            if soffice.poll() is not None:
                message = f"soffice exited with {soffice.returncode} at startup"
                raise SystemExit(message) from None
            if time.monotonic() > deadline:
                raise SystemExit(
                    "soffice did not accept a connection in time"
                ) from None
            time.sleep(0.05)


class BridgeGone(Exception):
    """soffice died or the UNO connection broke."""


def bridge_alive(desktop):
    try:
        desktop.getComponents()
    except Exception:
        return False
    return True


def hide_headers_and_footers(document):
    """Calc gives a CSV a header (sheet name) and footer (page number); drop them."""
    styles = document.getStyleFamilies().getByName("PageStyles")
    for name in styles.getElementNames():
        style = styles.getByName(name)
        style.setPropertyValue("HeaderIsOn", False)
        style.setPropertyValue("FooterIsOn", False)


def load_without_view(context, source, filter_name, load):
    """The document model alone, with no frame or view yet.

    A view made while loading builds widgets for comments at once, and the
    -nogui packages lack their UI file (modules/swriter/ui/annotation.ui): soffice
    aborts. Loading the model first lets the comments go before there is a view.
    """
    smgr = context.ServiceManager
    if not filter_name:
        detection = smgr.createInstanceWithContext(
            "com.sun.star.document.TypeDetection", context
        )
        type_name, found = detection.queryTypeByDescriptor((prop("URL", source),), True)
        filter_name = next((p.Value for p in found if p.Name == "FilterName"), "")
        if not filter_name and type_name:
            info = {p.Name: p.Value for p in detection.getByName(type_name)}
            filter_name = info.get("PreferredFilter", "")
    if not filter_name:
        return None
    factory = smgr.createInstanceWithContext(
        "com.sun.star.document.FilterFactory", context
    )
    service = {p.Name: p.Value for p in factory.getByName(filter_name)}.get(
        "DocumentService", ""
    )
    if not service:
        return None
    document = smgr.createInstanceWithContext(service, context)
    document.load((*load, prop("URL", source), prop("FilterName", filter_name)))
    return document


def drop_comments(document):
    """Comments are never exported (ExportNotes off); without them no comment
    widgets are built when the view comes."""
    if not document.supportsService("com.sun.star.text.GenericTextDocument"):
        return
    fields = document.getTextFields().createEnumeration()
    comments = []
    while fields.hasMoreElements():
        field = fields.nextElement()
        if field.supportsService("com.sun.star.text.textfield.Annotation"):
            comments.append(field)
    for field in comments:
        field.dispose()


def convert(context, desktop, request):
    """Convert one file; returns the reply and the document still to be closed
    (closed after the reply is sent: the pool need not wait for it)."""
    source = uno.systemPathToFileUrl(request["input"])
    target = uno.systemPathToFileUrl(request["output"])
    load = [
        prop("Hidden", True),
        prop("ReadOnly", True),
        prop("MacroExecutionMode", NEVER_EXECUTE),
        prop("UpdateDocMode", NO_UPDATE),
        # A wrong password instead of none: an encrypted file fails, never prompts.
        prop("Password", "wenku-no-password"),
        prop("RepairPackage", False),
        prop("Silent", True),
    ]
    if request.get("options"):
        load.append(prop("FilterOptions", request["options"]))
    try:
        document = load_without_view(context, source, request.get("filter"), load)
        if document is not None:
            drop_comments(document)
            # Only now a (hidden) view: the PDF export lays the pages out through it.
            document = desktop.loadComponentFromURL(
                "private:object",
                "_blank",
                0,
                (prop("Model", document), prop("Hidden", True)),
            )
    except DisposedException:
        raise
    except Exception as exc:  # IOException, IllegalArgumentException
        if not bridge_alive(desktop):
            raise BridgeGone("LibreOffice went away while loading") from exc
        message = getattr(exc, "Message", "") or type(exc).__name__
        return {"ok": False, "code": "corrupt", "detail": message[:200]}, None
    if document is None:
        return {
            "ok": False,
            "code": "corrupt",
            "detail": "LibreOffice could not open it",
        }, None
    try:
        chosen = [
            (export_filter, kind)
            for service, export_filter, kind in EXPORT_FILTERS
            if document.supportsService(service)
        ]
        if not chosen:
            close(document)
            return {"ok": False, "code": "unsupported", "detail": "unknown kind"}, None
        export_filter, kind = chosen[0]
        if request.get("plain_pages"):
            hide_headers_and_footers(document)
        filter_data = uno.Any(
            "[]com.sun.star.beans.PropertyValue",
            tuple(
                [
                    prop("ExportNotes", False),
                    prop("ExportBookmarks", False),
                    prop("UseTaggedPDF", False),
                    prop("ExportFormFields", False),
                    prop("EmbedStandardFonts", False),
                ]
            ),
        )
        store = (prop("FilterName", export_filter), prop("FilterData", filter_data))
        uno.invoke(document, "storeToURL", (target, store))
    except BaseException:
        close(document)
        raise
    return {"ok": True, "kind": kind}, document


def close(document):
    try:
        document.close(True)
    except DisposedException:
        raise
    except Exception:  # noqa: S110 — closing a broken document may fail; it is gone
        pass


def die_with_parent():
    """preexec_fn: soffice gets SIGKILL when this helper dies, however it dies."""
    import ctypes
    import signal

    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def start_soffice(args):
    return subprocess.Popen(
        [
            args.soffice,
            "--headless",
            "--invisible",
            "--nologo",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nofirststartwizard",
            "-env:UserInstallation=" + uno.systemPathToFileUrl(args.profile),
            f"--accept=pipe,name={args.pipe};urp;StarOffice.ComponentContext",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=die_with_parent,
    )


def crash_report(soffice, detail):
    """Say how soffice ended: killed from outside (-9) or aborted on the file."""
    try:
        returncode = soffice.wait(timeout=5)
    except subprocess.TimeoutExpired:
        returncode = None
    return {"ok": False, "code": "crashed", "detail": detail[:200], "exit": returncode}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--soffice", required=True)
    parser.add_argument("--profile", required=True, help="UserInstallation directory")
    parser.add_argument("--pipe", required=True)
    parser.add_argument("--startup-timeout", type=float, default=60.0)
    args = parser.parse_args()
    soffice = start_soffice(args)
    try:
        context = connect(args.pipe, soffice, time.monotonic() + args.startup_timeout)
    except SystemExit:
        if soffice.poll() != 81:  # 81: a fresh profile asks for one restart
            raise
        soffice = start_soffice(args)
        context = connect(args.pipe, soffice, time.monotonic() + args.startup_timeout)
    desktop = context.ServiceManager.createInstanceWithContext(
        "com.sun.star.frame.Desktop", context
    )
    reply({"ready": True, "soffice_pid": soffice.pid})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            answer, document = convert(context, desktop, request)
        except (DisposedException, BridgeGone) as exc:
            reply(crash_report(soffice, str(exc)))
            return 3
        except Exception as exc:  # a dead bridge surfaces as RuntimeException
            if soffice.poll() is not None or not bridge_alive(desktop):
                reply(crash_report(soffice, "soffice died"))
                return 3
            reply({"ok": False, "code": "corrupt", "detail": str(exc)[:200]})
            continue
        reply(answer)
        if document is not None:
            try:
                close(document)
            except DisposedException:
                # soffice died after the PDF was written: this answer stands; the
                # pool finds the helper gone at its next job and starts a fresh pair.
                return 3
    # Shutting down; soffice is killed with the process group anyway.
    with contextlib.suppress(Exception):
        desktop.terminate()
    return 0


if __name__ == "__main__":
    sys.exit(main())
