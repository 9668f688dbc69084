"""Words shared by every console: key -> (zh-CN, en)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "console.brand": ("正品溯源", "suyuan"),
    "console.title": ("管理后台", "Console"),
    "console.logout": ("退出登录", "Log out"),
    "console.login.title": ("登录", "Log in"),
    "console.login.username": ("用户名", "Username"),
    "console.login.password": ("密码", "Password"),
    "console.login.submit": ("登录", "Log in"),
    "error.login.failed": ("用户名或密码不正确。", "Wrong username or password."),
    "error.csrf": (
        "页面已过期,请刷新后重新提交。",
        "The page expired; reload it and submit again.",
    ),
    "console.next": ("下一页", "Next page"),
    "console.save": ("保存", "Save"),
    "console.cancel": ("取消", "Cancel"),
    "console.empty": ("暂无数据", "Nothing here yet"),
    "console.home": ("回到控制台首页", "Console home"),
}
