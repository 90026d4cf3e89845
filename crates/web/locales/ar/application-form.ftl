# ما تعرضه نماذج مقدّم الطلب (الطلب، والتظلّم، وسحب الطلب)، وما تعرضه كل النماذج: أول سطر في
# القوائم، وملخص الأخطاء، وما هو خطأ بجانب كل حقل.

apply-legend-principal = مقدّم الطلب الرئيسي
apply-legend-member = فرد آخر من الأسرة ({ $number } من { $total }، إن وُجد)
apply-full-name = الاسم الكامل
apply-date-of-birth = تاريخ الميلاد
apply-duf-number = رقم DUF
apply-duf-number-hint = اثنا عشر رقمًا، إذا كان الشخص مسجّلًا
apply-unaccompanied-minor = قاصر غير مصحوب بذويه
apply-possible-trafficking-victim = ضحية محتملة للاتجار بالبشر
apply-relation = صلة القرابة بمقدّم الطلب الرئيسي
apply-nationality = الجنسية
apply-return-country = بلد العودة
apply-final-destination = الوجهة النهائية
apply-situation = وضع الإقامة في النرويج
apply-departure-deadline = الموعد النهائي للمغادرة
apply-assisted-before = سبق أن حصلت على مساعدة للعودة ثم رجعت إلى النرويج
apply-status-in-other-eea-country = رُفض طلبك بسبب وضعك القانوني في بلد آخر من المنطقة الاقتصادية الأوروبية

apply-appeal-grounds = أسباب التظلّم
apply-appeal-posted-on = تاريخ الإرسال بالبريد أو التسليم
apply-appeal-posted-on-hint = اترك هذا الحقل فارغًا إذا أُرسل التظلّم اليوم

apply-optional = (اختياري)
apply-choose = اختر…

apply-error-summary = يُرجى تصحيح ما يلي:
apply-error-in-field = { $field }: { $problem }
apply-error-required = هذا الحقل مطلوب.
apply-error-not-a-date = «{ $value }» ليس تاريخًا صحيحًا (السنة-الشهر-اليوم، مثل 2026-11-20).
apply-error-invalid = { $field }: ما كتبته غير صالح. يُرجى التحقق منه.
apply-error-given-twice = { $field }: أُرسلت هذه القيمة أكثر من مرة. يُرجى إرسال النموذج مرة أخرى.
apply-error-in-form = لا يمكن قبول شيء ما في النموذج. يُرجى التحقق مما كتبته ثم إرساله مرة أخرى.

apply-not-recorded-refused = لم يُسجَّل: { $reason } (القاعدة: { $rule }).
apply-not-recorded-held = لم يُسجَّل: يتولى { $by } هذا الملف منذ { $since }.
apply-not-recorded-contended = لم يُسجَّل: تغيّر الملف عدة مرات أثناء معالجة طلبك. يُرجى المحاولة مرة أخرى.
apply-not-recorded-form-reused = لم يُسجَّل: سبق إرسال هذا النموذج لملف آخر. افتح الملف من جديد واملأ النموذج مرة أخرى.
apply-no-such-command = لا يوجد إجراء باسم «{ $command }».

apply-phone = رقم هاتفك
apply-phone-hint = مع رمز البلد إذا لم يكن نرويجيًا، مثل ‎+47 912 34 567.
apply-contact-language = اللغة التي تريد أن نتواصل معك بها
apply-needs-interpreter = أحتاج إلى مترجم
apply-add-member = إضافة شخص آخر إلى الأسرة
apply-data-use-heading = كيف نستخدم معلوماتك
apply-data-use = تستخدم مديرية الهجرة (UDI) ما تكتبه هنا للبتّ في طلبك. إذا تمت الموافقة عليه، تحصل المنظمة الدولية للهجرة (IOM) على ما تحتاجه لتخطيط رحلتك ودفع الدعم لك؛ ولا تُبلَّغ المنظمة أبدًا بسبب رفض أي طلب. إذا قدّمت تظلّمًا، يحصل مجلس طعون الهجرة (UNE) على قضيتك. يحق لك أن تطلب الاطلاع على ما هو محفوظ عنك وتصحيحه.
