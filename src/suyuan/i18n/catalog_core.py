"""Messages of the API's errors, notices and onboarding steps: key -> (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # problem titles, one per stable code
    "title.VALIDATION_ERROR": ("请求内容有误", "Invalid request"),
    "title.UNAUTHENTICATED": ("未认证", "Not authenticated"),
    "title.FORBIDDEN": ("无权访问", "Forbidden"),
    "title.NOT_FOUND": ("不存在", "Not found"),
    "title.INVALID_STATE": ("当前状态不允许此操作", "Not allowed in the current state"),
    "title.NOT_IN_PILOT": ("店铺不在试点范围", "Store not in the pilot"),
    "title.ONBOARDING_INCOMPLETE": ("开通流程未完成", "Onboarding incomplete"),
    "title.COMPANY_NAME_MISMATCH": ("公司名称不一致", "Company name mismatch"),
    "title.SUBSCRIPTION_EXPIRED": ("服务已到期", "Subscription expired"),
    "title.NOT_BONDED_DECLARATION": ("非保税报关单", "Not a bonded declaration"),
    "title.DECLARATION_EXISTS": ("报关单已存在", "Declaration exists"),
    "title.USERNAME_TAKEN": ("用户名已被占用", "Username taken"),
    "title.IDEMPOTENCY_KEY_REUSED": ("幂等键已用于其他请求", "Idempotency key reused"),
    "title.METHOD_NOT_ALLOWED": ("不支持的请求方法", "Method not allowed"),
    "title.PAYLOAD_TOO_LARGE": ("请求内容过大", "Payload too large"),
    "title.RATE_LIMITED": ("请求过于频繁", "Too many requests"),
    "title.TRACE_CODE_NOT_FOUND": ("未查到该溯源码", "Trace code not found"),
    "title.INTERNAL_ERROR": ("服务内部错误", "Internal error"),
    "title.WAREHOUSE_NOT_LINKED": ("保税仓未关联该店铺", "Warehouse not linked"),
    "title.NOT_BONDED_PRODUCT": ("非保税商品", "Not a bonded product"),
    "title.QUANTITY_EXCEEDS_DECLARATION": ("超出申报数量", "Quantity exceeds the declaration"),
    "title.NO_ATTACHED_CODES": ("尚无已贴溯源码", "No attached codes"),
    "title.ACTIVATION_TIME_IN_PAST": ("生效时间已过", "Activation time in the past"),
    "title.TRACE_CODES_REQUIRED": ("缺少溯源码", "Trace codes required"),
    "title.TRACE_CODE_COUNT_MISMATCH": ("溯源码数量不符", "Trace code count mismatch"),
    "title.MALFORMED_TRACE_CODE": ("溯源码格式错误", "Malformed trace code"),
    "title.DUPLICATE_TRACE_CODE": ("溯源码重复", "Duplicate trace code"),
    "title.ORDER_ALREADY_SHIPPED": ("订单已发货", "Order already shipped"),
    # problem details
    "error.VALIDATION_ERROR": (
        "请求中有字段不符合要求,请按 errors 中的说明逐项修改后重试。",
        "Some fields are invalid; fix each one listed in errors and retry.",
    ),
    "error.UNAUTHENTICATED": (
        "缺少或无法识别 API 密钥,请在 Authorization: Bearer 中提供有效密钥。",
        "Missing or unknown API key; send a valid one as Authorization: Bearer.",
    ),
    "error.FORBIDDEN": (
        "该密钥无权调用此接口(需要{kind}密钥)。",
        "This key may not call this endpoint (a {kind} key is required).",
    ),
    "error.NOT_FOUND": ("找不到该对象({kind}),请检查 ID。", "No such {kind}; check the ID."),
    "error.INVALID_STATE": ("当前状态不允许此操作。", "Not allowed in the current state."),
    "error.NOT_IN_PILOT": (
        "店铺暂未开放「正品溯源」服务,请联系店铺对接运营申请加入试点。",
        "Genuine-product traceability is not yet available to this store; ask your store's "
        "operations manager to join the pilot.",
    ),
    "error.ONBOARDING_INCOMPLETE": (
        "请先完成开通步骤:{step_name}({missing_step})。",
        "Complete the onboarding step first: {step_name} ({missing_step}).",
    ),
    "error.COMPANY_NAME_MISMATCH": (
        "填写的公司名称「{given}」与店铺注册主体不一致,请填写店铺营业执照上的公司名称。",
        'The company name "{given}" does not match the store\'s registered company; '
        "enter the name on the store's business licence.",
    ),
    "error.SUBSCRIPTION_EXPIRED": (
        "「正品溯源」服务已到期,请先续期(免费)。",
        "The traceability subscription has expired; renew it (free) first.",
    ),
    "error.DECLARATION_EXISTS": (
        "报关单 {declaration_no} 已存在且内容不同,不能覆盖;如需更正请联系平台。",
        "Declaration {declaration_no} already exists with other content and cannot be "
        "overwritten; contact the platform to correct it.",
    ),
    "error.USERNAME_TAKEN": (
        "该用户名已被占用,请换一个。",
        "This username is taken; choose another.",
    ),
    "error.IDEMPOTENCY_KEY_REUSED": (
        "该 Idempotency-Key 已用于内容不同的请求,请为新请求使用新的键。",
        "This Idempotency-Key was used for a different request; use a new key.",
    ),
    "error.idempotency_key.in_progress": (
        "使用该 Idempotency-Key 的请求仍在处理中,请稍后重试。",
        "A request with this Idempotency-Key is still in progress; retry shortly.",
    ),
    "error.idempotency_key.length": (
        "Idempotency-Key 长度应为 1 到 {max} 个字符。",
        "Idempotency-Key must be 1 to {max} characters.",
    ),
    "error.METHOD_NOT_ALLOWED": (
        "该接口不支持此请求方法。",
        "This endpoint does not accept this method.",
    ),
    "error.PAYLOAD_TOO_LARGE": (
        "请求内容过大,请分批提交。",
        "The request is too large; send it in batches.",
    ),
    "error.body.too_large": (
        "请求内容超过该接口 {limit} 的上限,请拆分成多批提交。",
        "The request body is larger than this endpoint's limit of {limit}; split it into smaller batches.",
    ),
    "error.RATE_LIMITED": (
        "请求过于频繁,请 {seconds} 秒后再试。",
        "Too many requests; retry in {seconds} s.",
    ),
    "error.INTERNAL_ERROR": (
        "服务暂时出错,请稍后重试;问题持续请联系平台。",
        "Something went wrong on our side; retry later or contact the platform.",
    ),
    "error.HTTP_ERROR": ("请求无法处理。", "The request could not be handled."),
    "error.WAREHOUSE_NOT_LINKED": (
        "该店铺尚未引导本保税仓,不能为其操作;请联系店铺在「正品溯源」中关联本仓。",
        "This store has not linked this warehouse; ask the store to link it under genuine-product traceability.",
    ),
    "error.NOT_BONDED_PRODUCT": (
        "只有保税仓/直供商品可以申请溯源码,该商品是普通商品。",
        "Only bonded goods can have trace codes; this product is general goods.",
    ),
    "error.NOT_BONDED_DECLARATION": (
        "只有监管方式为 1210 或 1239(保税跨境)的报关单可以生成溯源码。",
        "Only declarations under trade mode 1210 or 1239 (bonded) can produce trace codes.",
    ),
    "error.QUANTITY_EXCEEDS_DECLARATION": (
        "申请数量超过报关单剩余可申请数量,该商品项还可申请 {remaining} 个。",
        "More codes than the declaration has units left: {remaining} remain for this item.",
    ),
    "error.quantity.range": ("数量应为 1 到 {max} 之间的整数。", "Quantity must be 1 to {max}."),
    "error.month.format": ("月份格式应为 YYYY-MM,例如 2026-11。", "Use YYYY-MM, e.g. 2026-11."),
    "error.NO_ATTACHED_CODES": (
        "该商品尚未绑定溯源码,无法生效;请先让保税仓贴码并上报。",
        "This product has no attached trace codes and cannot be "
        "activated; have the warehouse attach codes first.",
    ),
    "error.ACTIVATION_TIME_IN_PAST": (
        "生效时间必须晚于当前时间。",
        "The activation time must be in the future.",
    ),
    "error.TRACE_CODES_REQUIRED": (
        "商品 {product_id} 还缺少 {missing} 个溯源码(共需 {quantity} 个)。",
        "Product {product_id} needs {missing} more trace code(s) ({quantity} required).",
    ),
    "error.TRACE_CODES_REQUIRED.detail": (
        "有 {lines} 个商品行缺少溯源码,订单未发货;请按 errors 补齐每件商品的溯源码。",
        "{lines} line(s) lack trace codes and the order did not ship; add each unit's code as "
        "listed in errors.",
    ),
    "error.TRACE_CODE_COUNT_MISMATCH": (
        "商品 {product_id} 的溯源码数量({given})多于商品数量({quantity})。",
        "{given} trace codes given for product {product_id}, but the quantity is {quantity}.",
    ),
    "error.DUPLICATE_TRACE_CODE": ("溯源码 {code} 重复。", "Trace code {code} is repeated."),
    "error.MALFORMED_TRACE_CODE": (
        "「{code}」不是有效的溯源码(17 位,校验位不符),请核对标签上的码重新输入。",
        '"{code}" is not a valid trace code (17 symbols, check symbol wrong); re-enter it '
        "from the label.",
    ),
    "error.ORDER_ALREADY_SHIPPED": (
        "该订单已发货,不能重复发货;如溯源码有误请使用更正。",
        "This order has already shipped; to fix its codes, use the correction.",
    ),
    "error.correction.not_abnormal": (
        "只有异常订单需要更正溯源码。",
        "Only abnormal orders need corrected codes.",
    ),
    "error.stop.not_enrolled": (
        "该商品还没有已贴的溯源码,无需停止生效。",
        "This product has no attached codes; there is nothing to stop.",
    ),
    "error.product_id.unknown": ("店铺没有这个商品。", "The store has no such product."),
    "error.product_id.repeated": (
        "同一商品只能出现一次,请合并数量。",
        "A product may appear once; combine the quantities.",
    ),
    "error.line.product_not_in_order": (
        "该商品不在此订单中。",
        "This product is not in the order.",
    ),
    "error.body.unreadable": (
        "请求体不是合法的 JSON,请检查格式(UTF-8 编码)。",
        "The body is not valid JSON; check its format (UTF-8).",
    ),
    "error.text.nul": (
        "文本中不能含有 NUL 字符(\\u0000)。",
        "Text must not contain NUL characters (\\u0000).",
    ),
    "error.text.surrogate": (
        "文本含有无法保存的字符(孤立的 UTF-16 代理项),请检查编码。",
        "The text holds a character that cannot be stored (a lone "
        "UTF-16 surrogate); check its encoding.",
    ),
    "error.TRACE_CODE_NOT_FOUND": (
        "没有这个溯源码,请核对标签上的 17 位码。",
        "No such trace code; check the 17 symbols on the label.",
    ),
    "error.subscription.exists": (
        "店铺已订购服务,如需延长请续期。",
        "The store is already subscribed; renew to extend it.",
    ),
    "error.binding.other_name": (
        "该进出口收发货人编码已绑定为「{name}」。",
        'This importer code is already bound as "{name}".',
    ),
    "error.plan.unknown": ("套餐只能是 {plan}(标准版-一年)。", "The plan must be {plan}."),
    "error.provider_id.unknown": (
        "没有这个服务商,请从服务商列表中选择。",
        "No such provider; choose one from the provider list.",
    ),
    "error.warehouse_id.unknown": (
        "没有这个保税仓,请检查保税仓 ID。",
        "No such bonded warehouse; check the warehouse ID.",
    ),
    "error.warehouse_id.not_linked": (
        "店铺尚未关联该保税仓。",
        "The store has not linked this warehouse.",
    ),
    "error.org_id.platform_has_none": (
        "平台账号不属于任何机构,请不要填写 org_id。",
        "Platform credentials belong to no organization; omit org_id.",
    ),
    "error.org_id.unknown": ("没有这个{org_type}:{id}。", "No {org_type} with ID {id}."),
    "error.field.required": ("必填。", "Required."),
    "error.cursor.invalid": (
        "分页游标无效,请使用上一页返回的 next_cursor。",
        "Invalid cursor; use the next_cursor of the previous page.",
    ),
    "error.documents.count": ("请提交 1 到 {max} 份报关单。", "Send 1 to {max} declarations."),
    # onboarding steps
    "step.not_opened": ("立即开通", "open the service"),
    "step.authorize_provider": ("服务商授权", "authorize a provider"),
    "step.bind_importer": ("绑定进出口收发货人信息", "bind an importer of record"),
    "step.guide_warehouse": ("引导保税仓完成操作", "link a bonded warehouse"),
    "step.done": ("已完成", "done"),
    # notices on the store overview (R7)
    "notice.RENEWAL_DUE": (
        "「正品溯源」服务将于 {days_left} 天后到期,请及时续期(免费)。",
        "The traceability subscription expires in {days_left} days; renew it (free).",
    ),
    "notice.SUBSCRIPTION_EXPIRED": (
        "「正品溯源」服务已到期:保税仓不能再为店铺申请或上报溯源码。已贴的溯源码仍然有效。请续期(免费)。",
        "The traceability subscription has expired: warehouses can no longer request or attach "
        "codes for the store. Codes already attached keep working. Renew it (free).",
    ),
    # request validation (pydantic error types)
    "pydantic.default": ("字段不符合要求:{pydantic}", "Invalid field: {pydantic}"),
    "pydantic.missing": ("必填。", "Required."),
    "pydantic.extra_forbidden": (
        "不认识的字段,请删除或检查拼写。",
        "Unknown field; remove it or check its spelling.",
    ),
    "pydantic.string_type": ("应为字符串。", "Must be a string."),
    "pydantic.bool_type": ("应为 true 或 false。", "Must be true or false."),
    "pydantic.int_type": ("应为整数。", "Must be an integer."),
    "pydantic.string_too_short": ("不能为空。", "Must not be empty."),
    "pydantic.string_too_long": ("最多 {max_length} 个字符。", "At most {max_length} characters."),
    "pydantic.string_pattern_mismatch": (
        "格式不正确(应符合 {pattern})。",
        "Wrong format (must match {pattern}).",
    ),
    "pydantic.literal_error": ("取值应为 {expected} 之一。", "Must be one of {expected}."),
    "pydantic.greater_than_equal": ("不能小于 {ge}。", "Must be at least {ge}."),
    "pydantic.less_than_equal": ("不能大于 {le}。", "Must be at most {le}."),
    "pydantic.json_invalid": (
        "请求体不是合法的 JSON:{pydantic}",
        "The body is not valid JSON: {pydantic}",
    ),
    "pydantic.model_attributes_type": ("应为 JSON 对象。", "Must be a JSON object."),
    "pydantic.dict_type": ("应为 JSON 对象。", "Must be a JSON object."),
    "pydantic.model_type": ("应为 JSON 对象。", "Must be a JSON object."),
    "pydantic.timezone_aware": (
        "时间必须带时区,例如 2026-12-04T10:00:00+08:00。",
        "The time needs an offset, e.g. 2026-12-04T10:00:00+08:00.",
    ),
    "pydantic.datetime_from_date_parsing": (
        "时间格式应为 ISO 8601,例如 2026-12-04T10:00:00+08:00。",
        "Use ISO 8601, e.g. 2026-12-04T10:00:00+08:00.",
    ),
    "pydantic.datetime_type": (
        "时间格式应为 ISO 8601,例如 2026-12-04T10:00:00+08:00。",
        "Use ISO 8601, e.g. 2026-12-04T10:00:00+08:00.",
    ),
}
