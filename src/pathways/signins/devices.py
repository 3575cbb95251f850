"""Plain words for a session's device and an address cut to its network. No Django, no database."""
import ipaddress

# Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", and so on.
_BROWSERS = (("Edg/", "Edge"), ("EdgA/", "Edge"), ("OPR/", "Opera"), ("SamsungBrowser/", "Samsung Internet"),
             ("Firefox/", "Firefox"), ("FxiOS/", "Firefox"), ("CriOS/", "Chrome"), ("Chromium/", "Chromium"),
             ("Chrome/", "Chrome"), ("Safari/", "Safari"))
_SYSTEMS = (("iPhone", "an iPhone"), ("iPad", "an iPad"), ("Android", "Android"), ("CrOS", "ChromeOS"),
            ("Windows", "Windows"), ("Mac OS X", "a Mac"), ("Macintosh", "a Mac"), ("Linux", "Linux"))


def device_summary(user_agent: str) -> str:
    """E.g. "Firefox on Windows", "Safari on an iPhone"; "" when the browser does not say."""
    browser = next((name for token, name in _BROWSERS if token in user_agent), "")
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or (f"A browser on {system}" if system else "")


def network_of(address: str | None) -> str:
    """The address with its last part left off (IPv4 /24, IPv6 /48): roughly where, never exactly who."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
