"""Texts that must reach a tourist even when everything else fails."""

EMERGENCY_MESSAGE = (
    "【紧急求助】请先确保自身安全！\n"
    "· 人身安全受威胁、财物被抢或有人走失：立即拨打110报警；\n"
    "· 有人受伤或突发疾病：立即拨打120急救；\n"
    "· 火情：拨打119。\n"
    "同时请就近联系景区工作人员或游客中心广播寻人。我已为您转接人工客服，也可拨打12301旅游服务热线。"
)
EMERGENCY_WORDS = (
    "走丢",
    "走失",
    "找不到孩子",
    "孩子丢",
    "受伤",
    "摔",
    "晕倒",
    "昏迷",
    "溺水",
    "落水",
    "着火",
    "火灾",
    "救命",
    "被抢",
    "抢劫",
    "被困",
    "骨折",
    "流血",
    "心脏病",
    "蛇咬",
)
ENGINE_DOWN_MESSAGE = (
    "抱歉，智能客服暂时无法处理您的请求，请稍后再试。"
    "紧急情况请拨打110/120，旅游咨询和投诉可拨打12301旅游服务热线。"
)
COMPLAINT_DEFERRED_MESSAGE = (
    "抱歉，投诉登记系统暂时无法使用。您的留言已经保存，系统恢复后会继续为您办理；"
    "着急的话可以直接拨打12301旅游服务热线投诉。"
)
COMPLAINT_WORDS = ("投诉", "举报", "维权", "曝光", "退款", "退钱")
NO_ANSWER_MESSAGE = (
    "抱歉，我暂时没有找到这个问题的答案。您可以说“转人工”，或拨打12301旅游服务热线咨询。"
)
HANDOFF_MESSAGE = (
    "正在为您转接人工客服，请稍候。人工服务时间为每天8:00-22:00，"
    "您也可以直接拨打12301旅游服务热线。"
)


def sounds_like_emergency(text: str) -> bool:
    return any(word in text for word in EMERGENCY_WORDS)


def sounds_like_complaint(text: str) -> bool:
    """Without the engine, a complaint must not get an FAQ about complaining: the form that
    would take it cannot run, so the tourist is told it is kept for later."""
    return any(word in text for word in COMPLAINT_WORDS)
