"""Sending a message to a member, the rules it passes on the way, and the tenant's messaging settings.

Per channel of a message, in this order: the same (member, channel, dedupe_key) already in the log ->
that delivery, nothing new; unsubscribed (marketing, or the channel) -> skipped; no address (phone,
WeChat openid) -> skipped; marketing over the member's daily or weekly cap on that channel -> skipped
frequency_cap; marketing inside quiet hours -> deferred to their end (the due job sends it then);
otherwise the channel sends it now -> sent, or failed with the channel's reason. Service messages
(pickup ready, refunds) pass quiet hours and caps. Every outcome is a row in message_deliveries."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.orm import Session

from linli.core import clock
from linli.core.errors import Invalid
from linli.member import service as members
from linli.messaging import repository as repo
from linli.messaging import rules as r
from linli.messaging.channels import CHANNELS, ChannelFailed, Contact, Provider
from linli.messaging.schemas import LINK, DeliveryOut, OutgoingMessage, SettingsIn, SettingsOut
from linli.models.messaging import CATEGORIES, MessageDelivery, MessagePreference


def _check(msg: OutgoingMessage) -> None:
    """Bad input from the caller: refused before anything is written."""
    if msg.category not in CATEGORIES:
        raise Invalid(f"category must be one of {', '.join(CATEGORIES)}", code="unknown_category")
    if not msg.channels or any(c not in CHANNELS for c in msg.channels):
        raise Invalid(f"channels must be some of {', '.join(CHANNELS)}", code="unknown_channel")
    for name, value, most in (("title", msg.title, 100), ("body", msg.body, 1000),
                              ("dedupe_key", msg.dedupe_key, 120), ("source", msg.source, 60)):
        if not value.strip() or len(value) > most or "\x00" in value:
            raise Invalid(f"{name} must hold 1 to {most} characters", code="invalid_message")
    if msg.link is not None and (len(msg.link) > 300 or not LINK.match(msg.link)):
        raise Invalid("link must be a member-app page (/m/...) or an https address", code="invalid_link")


def rules_of(s: Session, tenant_id: int) -> tuple[r.Rules, Provider]:
    row = repo.settings(s, tenant_id)
    if row is None:
        return r.Rules(), Provider(r.DEFAULT_SMS_SIGNATURE, None, None)
    return (r.Rules(row.quiet_hours_enabled, row.quiet_start_minute, row.quiet_end_minute, row.timezone,
                    row.marketing_daily_cap, row.marketing_weekly_cap),
            Provider(row.sms_signature, row.sandbox_sms_fail_pattern, row.sandbox_wechat_fail_pattern))


def _unsubscribed(prefs: MessagePreference, category: str, channel: str) -> str | None:
    if category == "marketing" and not prefs.marketing:
        return "unsubscribed_marketing"
    if (channel == "sms" and not prefs.sms) or (channel == "wechat" and not prefs.wechat):
        return "unsubscribed_channel"
    return None


def _over_cap(s: Session, tenant_id: int, member_id: int, channel: str, rules: r.Rules, due: datetime) -> bool:
    day = repo.count_marketing(s, tenant_id, member_id, channel, *r.day_window(rules, due))
    if day >= rules.daily_cap:
        return True
    return repo.count_marketing(s, tenant_id, member_id, channel, *r.week_window(rules, due)) >= rules.weekly_cap


def _dispatch(s: Session, tenant_id: int, d: MessageDelivery, address: str, provider: Provider) -> None:
    """queued -> sent (with the provider's id) or failed (with the channel's reason); a failed channel's
    own writes are undone."""
    now = clock.now()
    try:
        with s.begin_nested():
            d.provider_message_id = CHANNELS[d.channel].send(s, tenant_id, d, address, provider)
    except ChannelFailed as exc:
        d.status, d.reason = "failed", exc.reason
    else:
        d.status, d.sent_at = "sent", now
    d.updated_at = now
    s.flush()


def send_to_member(s: Session, tenant_id: int, member_id: int, msg: OutgoingMessage) -> list[DeliveryOut]:
    """One delivery per channel of the message (see the module's docstring). Idempotent by (tenant,
    member, channel, dedupe_key), also for concurrent duplicates; never commits. Raises Invalid for a
    bad message and NotFound for a member of no such id in this tenant."""
    _check(msg)
    member = members.require_member(s, tenant_id, member_id)
    rules, provider = rules_of(s, tenant_id)
    prefs = repo.lock_preferences(s, tenant_id, member_id)  # one member's sends queue here
    contact = Contact(member_id, member.phone, prefs.wechat_openid)
    now = clock.now()
    out: list[DeliveryOut] = []
    for channel in dict.fromkeys(msg.channels):  # each channel once, in the caller's order
        d = repo.delivery_by_key(s, tenant_id, member_id, channel, msg.dedupe_key)
        if d is None:
            d = _new_delivery(s, tenant_id, member_id, channel, msg, prefs, contact, rules, provider, now)
        out.append(DeliveryOut.model_validate(d))
    return out


def _new_delivery(s: Session, tenant_id: int, member_id: int, channel: str, msg: OutgoingMessage,
                  prefs: MessagePreference, contact: Contact, rules: r.Rules, provider: Provider,
                  now: datetime) -> MessageDelivery:
    status, reason, due = "queued", _unsubscribed(prefs, msg.category, channel), now
    address, missing = CHANNELS[channel].address(contact)
    if reason is None and address is None:
        reason = missing
    if reason is None and msg.category == "marketing":
        if r.in_quiet_hours(rules, now):
            status, due = "deferred", r.quiet_hours_end(rules, now)
        if _over_cap(s, tenant_id, member_id, channel, rules, due):
            reason = "frequency_cap"
    if reason is not None:
        status = "skipped"
    d = MessageDelivery(tenant_id=tenant_id, member_id=member_id, channel=channel, dedupe_key=msg.dedupe_key,
                        category=msg.category, source=msg.source, title=msg.title, body=msg.body, link=msg.link,
                        status=status, reason=reason, provider_message_id=None, due_at=due, created_at=now,
                        sent_at=None, updated_at=now)
    if repo.insert_delivery(s, d) is None:  # a concurrent duplicate won the UNIQUE constraint
        earlier = repo.delivery_by_key(s, tenant_id, member_id, channel, msg.dedupe_key)
        assert earlier is not None
        return earlier
    if status == "queued":
        assert address is not None
        _dispatch(s, tenant_id, d, address, provider)
    return d


def send_deferred(s: Session, tenant_id: int, delivery_id: int) -> str | None:
    """A deferred delivery whose time has come: sent now, unless the member unsubscribed or lost the
    address meanwhile (skipped). Its cap slot was taken when it was deferred. None if another run took it."""
    if not repo.claim_deferred(s, tenant_id, delivery_id):
        return None
    d = repo.delivery(s, tenant_id, delivery_id)
    assert d is not None
    member = members.require_member(s, tenant_id, d.member_id)
    prefs = repo.lock_preferences(s, tenant_id, d.member_id)
    _, provider = rules_of(s, tenant_id)
    address, missing = CHANNELS[d.channel].address(Contact(d.member_id, member.phone, prefs.wechat_openid))
    reason = _unsubscribed(prefs, d.category, d.channel) or (missing if address is None else None)
    if reason is not None:
        d.status, d.reason, d.updated_at = "skipped", reason, clock.now()
        s.flush()
    else:
        assert address is not None
        _dispatch(s, tenant_id, d, address, provider)
    return d.status


# --- settings ------------------------------------------------------------------------------------

def settings_out(s: Session, tenant_id: int) -> SettingsOut:
    rules, provider = rules_of(s, tenant_id)
    return SettingsOut(quiet_hours_enabled=rules.quiet_hours_enabled, quiet_start=r.hhmm(rules.quiet_start_minute),
                       quiet_end=r.hhmm(rules.quiet_end_minute), timezone=rules.timezone,
                       marketing_daily_cap=rules.daily_cap, marketing_weekly_cap=rules.weekly_cap,
                       sms_signature=provider.sms_signature, sandbox_sms_fail_pattern=provider.sms_fail_pattern,
                       sandbox_wechat_fail_pattern=provider.wechat_fail_pattern)


def save_settings(s: Session, tenant_id: int, data: SettingsIn) -> SettingsOut:
    try:
        ZoneInfo(data.timezone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid("timezone is not a known IANA zone", code="unknown_timezone") from exc
    if data.marketing_weekly_cap < data.marketing_daily_cap:
        raise Invalid("the weekly cap cannot be below the daily cap", code="weekly_cap_below_daily")
    repo.save_settings(s, tenant_id, {
        "quiet_hours_enabled": data.quiet_hours_enabled, "quiet_start_minute": r.minutes(data.quiet_start),
        "quiet_end_minute": r.minutes(data.quiet_end), "timezone": data.timezone,
        "marketing_daily_cap": data.marketing_daily_cap, "marketing_weekly_cap": data.marketing_weekly_cap,
        "sms_signature": data.sms_signature, "sandbox_sms_fail_pattern": data.sandbox_sms_fail_pattern,
        "sandbox_wechat_fail_pattern": data.sandbox_wechat_fail_pattern})
    return settings_out(s, tenant_id)
