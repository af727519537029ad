#!/usr/bin/env python3
# Regenerates Core/Unicode/ConfusablesTable.g.cs: for every code point, the UTS #39 skeleton of its NFKD form when that
# is ASCII, read from the system's ICU (uspoof_getSkeleton). Usage: scripts/gen-confusables.py [ICU_MAJOR]  (default 72).
# Needs libicu (apt: libicu72 / libicu-dev). Note the ICU and Unicode versions (icuinfo) in the generated header.
import ctypes, os, sys, unicodedata

major = sys.argv[1] if len(sys.argv) > 1 else "72"
icu = ctypes.CDLL(f"libicui18n.so.{major}")
status = ctypes.c_int(0)
open_ = getattr(icu, f"uspoof_open_{major}")
open_.restype = ctypes.c_void_p
checker = open_(ctypes.byref(status))
if status.value > 0: sys.exit(f"uspoof_open failed: {status.value}")
skeleton = getattr(icu, f"uspoof_getSkeleton_{major}")
skeleton.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_char_p, ctypes.c_int32, ctypes.c_char_p, ctypes.c_int32, ctypes.POINTER(ctypes.c_int)]

table = {}
for cp in range(0x20, 0x110000):
    if 0xD800 <= cp <= 0xDFFF: continue
    # NFKD first (fullwidth, mathematical and other compatibility forms), then ICU's skeleton (NFD, prototypes, NFD):
    # the table then holds the whole mapping, so the runtime needs no normalisation (it runs with invariant globalization).
    source = unicodedata.normalize("NFKD", chr(cp)).encode("utf-16-le")
    out = ctypes.create_string_buffer(256)
    st = ctypes.c_int(0)
    n = skeleton(checker, 0, source, len(source) // 2, out, 128, ctypes.byref(st))
    if st.value > 0 or n == 0: continue
    proto = out.raw[:n * 2].decode("utf-16-le")
    if proto != chr(cp) and all(ord(c) < 0x80 for c in proto):
        table[cp] = proto

lines = [f'        [0x{cp:04X}] = "' + v.replace("\\", "\\\\").replace('"', '\\"') + '",' for cp, v in sorted(table.items())]
target = os.path.join(os.path.dirname(__file__), "..", "Core", "Unicode", "ConfusablesTable.g.cs")
header = open(target).read().split("namespace", 1)[0] if os.path.exists(target) else ""
body = f'''namespace P2PChat.Core.Unicode;

internal static class ConfusablesTable
{{
    /// <summary>Unicode data version the table was generated from.</summary>
    public const string UnicodeVersion = "15.0";

    /// <summary>Code point → its UTS #39 prototype (ASCII), for the {len(table)} code points whose NFKD skeleton is ASCII and differs from them.</summary>
    public static readonly IReadOnlyDictionary<int, string> Prototypes = new Dictionary<int, string>
    {{
{chr(10).join(lines)}
    }};
}}
'''
open(target, "w").write(header + body)
print(f"{len(table)} prototypes written to {target}", file=sys.stderr)
