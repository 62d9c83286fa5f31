"""Saxon (PyPI ``saxonche``) in a process of its own, for :mod:`.peppol_rules`: SaxonC is a GraalVM native
image whose isolate reserves more address space than Odoo's server allows itself (``limit_memory_hard``
is a RLIMIT_AS), so it cannot start inside Odoo. This process lifts its own soft limit to the hard one,
then answers one JSON line per JSON line on stdin: ``{"key", "stylesheet", "xml"}`` (the stylesheet is
compiled once per key) -> ``{"output"}`` or ``{"error"}``. It ends with its stdin.

Run as a script (``python saxon_worker.py``); it imports nothing of ours or of Odoo."""

import contextlib
import json
import sys


def main():
    # no address-space limit to raise (not POSIX, or not allowed): Saxon runs under the one it has
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource  # noqa: PLC0415 - POSIX only

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if soft != hard:
            resource.setrlimit(resource.RLIMIT_AS, (hard, hard))
    from saxonche import PySaxonProcessor  # noqa: PLC0415

    processor = PySaxonProcessor(license=False)
    compiled = {}
    for line in sys.stdin:
        request = json.loads(line)
        try:
            key = request["key"]
            if key not in compiled:
                compiled[key] = processor.new_xslt30_processor().compile_stylesheet(
                    stylesheet_text=request["stylesheet"])
            node = processor.parse_xml(xml_text=request["xml"])
            answer = {"output": compiled[key].transform_to_string(xdm_node=node)}
        except Exception as exc:  # noqa: BLE001 - reported to the caller, which raises it
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
