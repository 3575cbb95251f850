"""The authenticator app's QR code, drawn on the server as SVG markup for the page itself.

Inline SVG needs no image request and no change to the content security policy (it has no script or style
attribute); segno writes it from the otpauth:// address. The secret is also written out on the page for
people who type it in or cannot scan.
"""
import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(uri: str) -> SafeString:
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, dark="#000", light="#fff",
                                                title="QR code to scan with your authenticator app")
    # Our own markup from segno: the address is percent-encoded and the title is fixed text.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # nosec B308 B703
