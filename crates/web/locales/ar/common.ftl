# ما تشترك فيه كل الصفحات: الإطار، وتسجيل الدخول والخروج، واللغات، والأخطاء.

skip-to-content = انتقل إلى المحتوى
nav-main = القائمة الرئيسية
nav-work-queues = قوائم العمل
nav-queues = القوائم
nav-statistics = الإحصاءات
nav-audit = التدقيق
nav-my-cases = قضاياي
signed-in-as = تم تسجيل الدخول باسم
sign-out = تسجيل الخروج
language-switch = اللغة
language-unknown = الصفحات غير متوفرة باللغة «{ $lang }».
training-clock = خادم تدريب: الساعة مضبوطة يدويًا.
training-clock-time = الوقت فيه هو
training-not-real = لا شيء مما يُفعل هنا حقيقي.

role-applicant = مقدّم الطلب
role-udi = موظف في مديرية الهجرة (UDI)
role-une = موظف في مجلس طعون الهجرة (UNE)
role-iom = موظف في المنظمة الدولية للهجرة (IOM)
role-system = النظام
role-auditor = مدقق

sign-in = تسجيل الدخول
sign-in-token = رمز الدخول الخاص بك
sign-in-token-hint = رمز الدخول الذي أعطتك إياه الجهة المختصة (retur token issue)؛ في العرض التجريبي المحلي يطبع retur demo رمزًا لكل دور.
sign-in-paste = الصق رمز الدخول هنا.
sign-in-refused = لا يمكن استخدام هذا الرمز: { $problem }.
signed-out = لقد سجّلت الخروج.
session-ended = انتهت جلستك أو لم يعد رمز الدخول صالحًا. سجّل الدخول مرة أخرى.

system-title = لا شيء للقيام به هنا
system-text = رمز النظام يُطلق المواعيد النهائية؛ ليست له صفحات. سجّل الدخول كموظف أو مدقق.

error-forbidden = ليس من حقك الاطلاع على هذا
error-not-found = غير موجود
error-bad-request = لا يمكن القيام بذلك
error-failed = حدث خطأ ما
error-failed-text = لم يتمكن النظام من إنجاز عمله؛ لم يتغير شيء. حاول مرة أخرى، وأبلغ المسؤولين إذا استمر ذلك.
error-too-large = تم إرسال قدر كبير جدًا من البيانات
nothing-changed = لم يتغير شيء.
back-to-start = العودة إلى البداية

or = أو

yes = نعم
no = لا

none = لا شيء

error-forbidden-text = لا يجوز لدورك ({ $role }) الاطلاع على هذا أو القيام به.
error-rejected = لم يتمكن النظام من القيام بذلك؛ لم يتغير شيء.
case-none = لا توجد قضية { $case }.
error-control-characters = الصفحة المطلوبة ({ $field }) تحتوي على حرف تحكّم، مثل سطر جديد؛ لم يُنفَّذ شيء.
error-not-a-case = «{ $text }» ليس رقم قضية.
error-cross-site = أُرسل هذا النموذج من موقع آخر. افتح الصفحة في retur وأرسله من هناك؛ لم يُنفَّذ شيء.
