# الرسائل: رسائل القرارات ورسائل السفر، بلغة مقدم الطلب وبالنرويجية.

letters-heading = الرسائل
letters-none = لا توجد رسائل بعد: تُكتب رسالة لكل قرار يجب إبلاغك به.
letters-hint = كل رسالة بلغتك وبالنرويجية، بصيغة PDF. عند تنزيل الرسالة لأول مرة تُسجَّل بصمتها في السجل، حتى يمكن التحقق من أي نسخة لاحقاً.
letters-kind-approval = قرار الموافقة
letters-kind-refusal = قرار الرفض
letters-kind-revocation = قرار سحب الموافقة
letters-kind-appeal-outcome = القرار في التظلّم
letters-kind-travel = رسالة السفر من المنظمة الدولية للهجرة
letters-issued = أُرسلت في { $at }
letters-not-issued = لم تُرسل بعد
letters-no-such = لا توجد في القضية رسالة لك في الموضع { $position }.
