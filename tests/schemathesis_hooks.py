"""Schemathesis hooks of `cargo xtask test`: every generated request comes from its own client
address, so the per-address rate limits (which have tests of their own) do not hide the logic
behind the operations from the fuzzer."""

import random

import schemathesis


@schemathesis.hook
def before_call(context, case, kwargs):
    # Documentation addresses (RFC 5737): nothing is ever sent to them.
    address = f"198.18.{random.randint(0, 255)}.{random.randint(1, 254)}"
    case.headers = {**(case.headers or {}), "CF-Connecting-IP": address}
