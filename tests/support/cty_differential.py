"""Decodes and re-encodes cty msgpack values with pyvider-cty, an independent implementation of go-cty's codec.

The codec tests (tests/codec_properties.rs) send one case per line on stdin, as JSON:
    {"type": <type JSON, as in schemas>, "msgpack": "<hex>"}
and read one line per case on stdout:
    {"msgpack": "<hex of pyvider-cty's re-encoding>"}   or   {"error": "<why pyvider-cty refused it>"}

Both codecs aim at go-cty's exact behaviour (NFC strings, sets deduplicated and in go-cty's order, numbers as
integer / exact float64 / decimal text), so the tests compare the bytes.
"""

import json
import sys

from pyvider.cty import parse_tf_type_to_ctytype
from pyvider.cty.codec import cty_from_msgpack, cty_to_msgpack


def main() -> None:
    for line in sys.stdin:
        case = json.loads(line)
        try:
            cty_type = parse_tf_type_to_ctytype(case["type"])
            value = cty_from_msgpack(bytes.fromhex(case["msgpack"]), cty_type)
            answer = {"msgpack": cty_to_msgpack(value, cty_type).hex()}
        except Exception as error:  # noqa: BLE001 - every refusal is an answer the test reports
            answer = {"error": f"{type(error).__name__}: {error}"}
        sys.stdout.write(json.dumps(answer) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
