"""Messages to members: in-app inbox, sandbox SMS and WeChat template channels, quiet hours, caps, unsubscribe, delivery log."""
