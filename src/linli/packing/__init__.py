"""The leader's daily work: stock-up (备货单) and sorting (分拣单) lists per delivery day, printable and exportable, and
pickup by scanning the member's QR code."""
