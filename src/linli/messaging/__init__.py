"""Messages to members: the in-app inbox, sandbox SMS and WeChat template channels, quiet hours,
frequency caps, unsubscribe and the delivery log."""
