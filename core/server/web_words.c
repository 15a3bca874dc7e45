/* The interface's own words in the workspace's language (setting "language": en, pl, ru, fa),
 * and the registry's labels picked by language. A word missing in a language reads in English. */
#include <stdio.h>
#include <string.h>

#include "web.h"

typedef struct word {
    const char *en, *pl, *ru, *fa;
} word;

static const word words[] = {
    {"Log in", "Zaloguj", "Войти", "ورود"},
    {"Log out", "Wyloguj", "Выйти", "خروج"},
    {"User", "Użytkownik", "Пользователь", "کاربر"},
    {"Password", "Hasło", "Пароль", "گذرواژه"},
    {"Search", "Szukaj", "Поиск", "جستجو"},
    {"Today", "Dziś", "Сегодня", "امروز"},
    {"Deals board", "Lejek sprzedaży", "Воронка сделок", "تابلوی معاملات"},
    {"Reports", "Raporty", "Отчёты", "گزارش‌ها"},
    {"Import", "Import", "Импорт", "درون‌ریزی"},
    {"Duplicates", "Duplikaty", "Дубликаты", "تکراری‌ها"},
    {"Settings", "Ustawienia", "Настройки", "تنظیمات"},
    {"New", "Nowy", "Создать", "جدید"},
    {"Edit", "Edytuj", "Изменить", "ویرایش"},
    {"Save", "Zapisz", "Сохранить", "ذخیره"},
    {"Save anyway", "Zapisz mimo to", "Всё равно сохранить", "به هر حال ذخیره شود"},
    {"Open it", "Otwórz", "Открыть", "باز کن"},
    {"Archive", "Archiwizuj", "В архив", "بایگانی"},
    {"Restore", "Przywróć", "Восстановить", "بازگردانی"},
    {"Merge", "Scal", "Объединить", "ادغام"},
    {"Review", "Przegląd", "Проверка", "بازبینی"},
    {"Same", "Te same", "Одно и то же", "یکسان"},
    {"Different", "Różne", "Разные", "متفاوت"},
    {"Skip", "Pomiń", "Пропустить", "رد شدن"},
    {"No pair left to review.", "Nie ma par do przejrzenia.", "Пар для проверки нет.",
     "جفتی برای بازبینی نمانده است."},
    {"Consents", "Zgody", "Согласия", "رضایت‌ها"},
    {"Purpose", "Cel", "Цель", "هدف"},
    {"Decision", "Decyzja", "Решение", "تصمیم"},
    {"When", "Kiedy", "Когда", "زمان"},
    {"Source", "Źródło", "Источник", "منبع"},
    {"By", "Kto", "Кем", "توسط"},
    {"given", "udzielona", "дано", "داده شد"},
    {"withdrawn", "wycofana", "отозвано", "پس گرفته شد"},
    {"No consent recorded.", "Brak zapisanych zgód.", "Согласий нет.", "رضایتی ثبت نشده."},
    {"Erase", "Usuń dane", "Стереть", "پاک کردن"},
    {"Reason", "Powód", "Причина", "دلیل"},
    {"Erase every personal value: this cannot be undone",
     "Usuń wszystkie dane osobowe: tego nie można cofnąć",
     "Стереть все персональные данные: это нельзя отменить",
     "پاک کردن همهٔ داده‌های شخصی: برگشت‌پذیر نیست"},
    {"Say why, and tick the box to confirm the erasure.",
     "Podaj powód i zaznacz pole, aby potwierdzić usunięcie.",
     "Укажите причину и отметьте поле, чтобы подтвердить удаление.",
     "دلیل را بنویسید و برای تأیید پاک کردن، کادر را علامت بزنید."},
    {"Your role may not erase people.", "Twoja rola nie może usuwać danych osób.",
     "Ваша роль не может стирать данные людей.", "نقش شما اجازهٔ پاک کردن افراد را ندارد."},
    {"The erasure failed.", "Usunięcie nie powiodło się.", "Удаление не удалось.",
     "پاک کردن ناموفق بود."},
    {"Log an activity", "Dodaj aktywność", "Записать активность", "ثبت فعالیت"},
    {"Add a task", "Dodaj zadanie", "Добавить задачу", "افزودن کار"},
    {"Timeline", "Historia", "Хронология", "خط زمانی"},
    {"required", "wymagane", "обязательно", "الزامی"},
    {"Filter", "Filtruj", "Фильтр", "پالایش"},
    {"Next page", "Następna strona", "Следующая страница", "صفحهٔ بعد"},
    {"Previous page", "Poprzednia strona", "Предыдущая страница", "صفحهٔ قبل"},
    {"Nothing found.", "Nic nie znaleziono.", "Ничего не найдено.", "چیزی پیدا نشد."},
    {"Please correct the marked fields.", "Popraw zaznaczone pola.", "Исправьте отмеченные поля.",
     "لطفاً فیلدهای مشخص‌شده را اصلاح کنید."},
    {"This may be a duplicate of:", "To może być duplikat:", "Возможно, это дубликат:",
     "ممکن است تکراری باشد:"},
    {"There is no such page.", "Nie ma takiej strony.", "Такой страницы нет.",
     "چنین صفحه‌ای نیست."},
    {"Tasks due", "Zadania na dziś i zaległe", "Задачи к сроку", "کارهای سررسیده"},
    {"Birthdays and anniversaries", "Urodziny i rocznice", "Дни рождения и годовщины",
     "تولدها و سالگردها"},
    {"Move", "Przenieś", "Переместить", "انتقال"},
    {"Run", "Uruchom", "Запустить", "اجرا"},
    {"Dry run", "Próba", "Пробный прогон", "اجرای آزمایشی"},
    {"Undo", "Cofnij", "Отменить", "واگرد"},
    {"Not a duplicate", "To nie duplikat", "Не дубликат", "تکراری نیست"},
    {"Wrong name or password.", "Zła nazwa lub hasło.", "Неверное имя или пароль.",
     "نام یا گذرواژه نادرست است."},
    {"The form has expired; please log in again.", "Formularz wygasł; zaloguj się ponownie.",
     "Форма устарела; войдите снова.", "فرم منقضی شده است؛ دوباره وارد شوید."},
    {"Deals", "Szanse sprzedaży", "Сделки", "معاملات"},
    {"Sales", "Sprzedaż", "Продажи", "فروش‌ها"},
    {"Contacts", "Kontakty", "Контакты", "مخاطبان"},
    {"Activities", "Aktywności", "Активности", "فعالیت‌ها"},
    {"Tasks", "Zadania", "Задачи", "کارها"},
    {"Fields", "Pola", "Поля", "فیلدها"},
    {"Users", "Użytkownicy", "Пользователи", "کاربران"},
    {"Tokens", "Tokeny", "Токены", "توکن‌ها"},
    {"Download", "Pobierz", "Скачать", "دریافت"},
    {"File", "Plik", "Файл", "پرونده"},
    {"Script", "Skrypt", "Скрипт", "اسکریپت"},
    {"Batches", "Partie importu", "Пакеты импорта", "دسته‌ها"},
    {"Rejected rows", "Odrzucone wiersze", "Отклонённые строки", "ردیف‌های ردشده"},
    {"Changes", "Zmiany", "Изменения", "تغییرات"},
    {"Add a field", "Dodaj pole", "Добавить поле", "افزودن فیلد"},
    {"Show", "Pokaż", "Показать", "نمایش"},
    {"Saved.", "Zapisano.", "Сохранено.", "ذخیره شد."},
    {"Clients gone quiet", "Klienci bez kontaktu", "Клиенты без контакта",
     "مشتریان بی‌تماس"},
    {"Someone changed this record since you opened it: open it again and reapply your change.",
     "Ktoś zmienił ten rekord, odkąd go otwarto: otwórz go ponownie i wprowadź zmianę jeszcze raz.",
     "Запись изменили, пока она была открыта: откройте её снова и повторите изменение.",
     "این رکورد پس از باز شدن تغییر کرده است: دوباره بازش کنید و تغییر را تکرار کنید."},
    {"Outbox", "Skrzynka nadawcza", "Исходящие", "صندوق خروجی"},
    {"Details", "Szczegóły", "Подробности", "جزئیات"},
    {"Contact", "Kontakt", "Контакт", "تماس"},
    {"Dates", "Daty", "Даты", "تاریخ‌ها"},
};

const char *web_word(const web_req *w, const char *key)
{
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        const word *x = &words[i];
        if (strcmp(x->en, key) != 0) continue;
        const char *t = !strcmp(w->lang, "pl")   ? x->pl
                        : !strcmp(w->lang, "ru") ? x->ru
                        : !strcmp(w->lang, "fa") ? x->fa
                                                 : x->en;
        return t ? t : x->en;
    }
    return key;
}

const char *web_label(const web_req *w, const char *label_json, const char *fallback, char *buf,
                      size_t size)
{
    cJSON *j = label_json ? cJSON_Parse(label_json) : NULL;
    const cJSON *l = cJSON_GetObjectItem(j, w->lang);
    if (!cJSON_IsString(l)) l = cJSON_GetObjectItem(j, "en");
    snprintf(buf, size, "%s", cJSON_IsString(l) ? l->valuestring : fallback);
    cJSON_Delete(j);
    return buf;
}

const char *web_field_label(const web_req *w, const kt_field *f, char *buf, size_t size)
{
    return web_label(w, f->label, f->name, buf, size);
}

const char *web_entity_label(const web_req *w, const char *entity, char *buf, size_t size)
{
    const kt_entity *e = kt_registry_entity(kt_ws_registry(w->ws), entity);
    return web_label(w, e ? e->label : NULL, entity, buf, size);
}
