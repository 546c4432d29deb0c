/* The one table of words kmbook sets itself, per language: front-matter
 * labels and MARC relator words. Both writers read them from the resolved
 * book (kmb_book.labels, kmb_person.role_name/role_credit), so the EPUB and
 * the PDF of one book always say the same thing. */
#include "read/resolve.h"
#include "read/callout.h"

#include <glib.h>
#include <string.h>

typedef struct role_words {
  const char *code;   /* MARC relator */
  const char *name;   /* label on a copyright page */
  const char *credit; /* after the name on a title page ("" = the name alone) */
} role_words;

enum { N_ROLES = 12 };

typedef struct lang_table {
  kmb_labels labels;
  role_words roles[N_ROLES]; /* roles[ctb] also names unknown codes */
} lang_table;

static const lang_table zh_hans = {
    .labels =
        {
            .contents = "目录",
            .cover = "封面",
            .copyright = "版权信息",
            .bodymatter = "正文",
            .landmarks = "导览",
            .footnotes = "脚注",
            .backlink = "返回正文",
            .missing_image = "（图片未收录）",
            .a11y_summary =
                "本书为可重排的 EPUB 3 电子书：章节标题层级清晰，附有目录导航与地标，内容按阅读顺序排列，"
                "所有图片均提供替代文字，脚注可双向跳转。文字大小和字体可由阅读软件调整。"
                "本书不含闪烁、声音或动态模拟等危险内容。",
            .a11y_summary_noalt =
                "本书为可重排的 EPUB 3 电子书：章节标题层级清晰，附有目录导航与地标，内容按阅读顺序排列，"
                "脚注可双向跳转。部分图片缺少替代文字。文字大小和字体可由阅读软件调整。"
                "本书不含闪烁、声音或动态模拟等危险内容。",
            .title = "书名",
            .publisher = "出版",
            .date = "日期",
            .edition = "版次",
            .source = "来源",
            .rights = "版权",
            .link = "相关链接",
            .description = "简介",
            .identifier = "标识符",
            .sep = "：",
            .list_sep = "、",
            .edition_pre = "第 ",
            .edition_post = " 版",
            .typeset_pre = "由 ",
            .typeset_post = " 排版生成",
        },
    .roles =
        {
            {"aut", "作者", "著"},         {"edt", "编者", "编"},
            {"trl", "译者", "译"},         {"spk", "讲者", "主讲"},
            {"ill", "插图", "绘"},         {"pht", "摄影", "摄影"},
            {"nrt", "朗读", "朗读"},       {"com", "编纂", "编纂"},
            {"ctb", "参与者", "参与"},     {"pbl", "出版者", "出版"},
            {"cov", "封面设计", "封面设计"}, {"bkd", "装帧设计", "装帧设计"},
        },
};

static const lang_table zh_hant = {
    .labels =
        {
            .contents = "目錄",
            .cover = "封面",
            .copyright = "版權資訊",
            .bodymatter = "正文",
            .landmarks = "導覽",
            .footnotes = "腳註",
            .backlink = "返回正文",
            .missing_image = "（圖片未收錄）",
            .a11y_summary =
                "本書為可重排的 EPUB 3 電子書：章節標題層級清晰，附有目錄導覽與地標，內容按閱讀順序排列，"
                "所有圖片均提供替代文字，腳註可雙向跳轉。文字大小和字型可由閱讀軟體調整。"
                "本書不含閃爍、聲音或動態模擬等危險內容。",
            .a11y_summary_noalt =
                "本書為可重排的 EPUB 3 電子書：章節標題層級清晰，附有目錄導覽與地標，內容按閱讀順序排列，"
                "腳註可雙向跳轉。部分圖片缺少替代文字。文字大小和字型可由閱讀軟體調整。"
                "本書不含閃爍、聲音或動態模擬等危險內容。",
            .title = "書名",
            .publisher = "出版",
            .date = "日期",
            .edition = "版次",
            .source = "來源",
            .rights = "版權",
            .link = "相關連結",
            .description = "簡介",
            .identifier = "識別碼",
            .sep = "：",
            .list_sep = "、",
            .edition_pre = "第 ",
            .edition_post = " 版",
            .typeset_pre = "由 ",
            .typeset_post = " 排版生成",
        },
    .roles =
        {
            {"aut", "作者", "著"},         {"edt", "編者", "編"},
            {"trl", "譯者", "譯"},         {"spk", "講者", "主講"},
            {"ill", "插圖", "繪"},         {"pht", "攝影", "攝影"},
            {"nrt", "朗讀", "朗讀"},       {"com", "編纂", "編纂"},
            {"ctb", "參與者", "參與"},     {"pbl", "出版者", "出版"},
            {"cov", "封面設計", "封面設計"}, {"bkd", "裝幀設計", "裝幀設計"},
        },
};

static const lang_table ja = {
    .labels =
        {
            .contents = "目次",
            .cover = "表紙",
            .copyright = "奥付",
            .bodymatter = "本文",
            .landmarks = "ランドマーク",
            .footnotes = "脚注",
            .backlink = "本文に戻る",
            .missing_image = "（画像は収録されていません）",
            .a11y_summary =
                "リフロー型の EPUB 3 電子書籍です。見出しは階層化され、目次とランドマークがあり、内容は読む順に"
                "並んでいます。すべての画像に代替テキストがあり、脚注は本文と相互にリンクしています。文字の大きさと"
                "書体は閲覧ソフトで変更できます。点滅、音声、動きによる危険はありません。",
            .a11y_summary_noalt =
                "リフロー型の EPUB 3 電子書籍です。見出しは階層化され、目次とランドマークがあり、内容は読む順に"
                "並んでいます。脚注は本文と相互にリンクしています。一部の画像には代替テキストがありません。文字の"
                "大きさと書体は閲覧ソフトで変更できます。点滅、音声、動きによる危険はありません。",
            .title = "書名",
            .publisher = "発行所",
            .date = "発行日",
            .edition = "版",
            .source = "出典",
            .rights = "著作権",
            .link = "関連リンク",
            .description = "内容紹介",
            .identifier = "識別子",
            .sep = "：",
            .list_sep = "、",
            .edition_pre = "第",
            .edition_post = "版",
            .typeset_pre = "",
            .typeset_post = " で組版",
        },
    .roles =
        {
            {"aut", "著者", "著"},         {"edt", "編者", "編"},
            {"trl", "訳者", "訳"},         {"spk", "講演者", "講演"},
            {"ill", "挿絵", "絵"},         {"pht", "撮影", "撮影"},
            {"nrt", "朗読", "朗読"},       {"com", "編纂", "編纂"},
            {"ctb", "協力", "協力"},       {"pbl", "発行者", "発行"},
            {"cov", "装画", "装画"},       {"bkd", "装丁", "装丁"},
        },
};

static const lang_table ko = {
    .labels =
        {
            .contents = "목차",
            .cover = "표지",
            .copyright = "판권",
            .bodymatter = "본문",
            .landmarks = "랜드마크",
            .footnotes = "각주",
            .backlink = "본문으로 돌아가기",
            .missing_image = "(이미지 미수록)",
            .a11y_summary =
                "리플로 가능한 EPUB 3 전자책입니다. 제목 계층이 구조화되어 있고 목차와 랜드마크가 있으며, 내용은 "
                "읽는 순서대로 배열되어 있습니다. 모든 이미지에 대체 텍스트가 있고 각주는 본문과 서로 연결됩니다. "
                "글자 크기와 글꼴은 읽기 프로그램에서 바꿀 수 있습니다. 깜박임, 소리, 움직임 위험 요소는 없습니다.",
            .a11y_summary_noalt =
                "리플로 가능한 EPUB 3 전자책입니다. 제목 계층이 구조화되어 있고 목차와 랜드마크가 있으며, 내용은 "
                "읽는 순서대로 배열되어 있습니다. 각주는 본문과 서로 연결됩니다. 일부 이미지에는 대체 텍스트가 "
                "없습니다. 글자 크기와 글꼴은 읽기 프로그램에서 바꿀 수 있습니다. 깜박임, 소리, 움직임 위험 요소는 "
                "없습니다.",
            .title = "제목",
            .publisher = "펴낸곳",
            .date = "펴낸날",
            .edition = "판",
            .source = "출처",
            .rights = "저작권",
            .link = "관련 링크",
            .description = "소개",
            .identifier = "식별자",
            .sep = ": ",
            .list_sep = ", ",
            .edition_pre = "제",
            .edition_post = "판",
            .typeset_pre = "",
            .typeset_post = "(으)로 조판",
        },
    .roles =
        {
            {"aut", "지은이", "지음"},     {"edt", "엮은이", "엮음"},
            {"trl", "옮긴이", "옮김"},     {"spk", "강연자", "강연"},
            {"ill", "그린이", "그림"},     {"pht", "사진", "사진"},
            {"nrt", "낭독", "낭독"},       {"com", "편찬", "편찬"},
            {"ctb", "참여", "참여"},       {"pbl", "펴낸이", "펴냄"},
            {"cov", "표지 디자인", "표지 디자인"}, {"bkd", "북 디자인", "북 디자인"},
        },
};

static const lang_table en = {
    .labels =
        {
            .contents = "Contents",
            .cover = "Cover",
            .copyright = "Copyright",
            .bodymatter = "Start of content",
            .landmarks = "Landmarks",
            .footnotes = "Footnotes",
            .backlink = "Back to text",
            .missing_image = "(image not included)",
            .a11y_summary = "A reflowable EPUB 3 book with structured headings, a table of contents and "
                            "landmarks, content in reading order, text alternatives for all images and "
                            "linked footnotes. Text size and fonts can be changed by the reading system. "
                            "No flashing, sound or motion simulation hazards.",
            .a11y_summary_noalt =
                "A reflowable EPUB 3 book with structured headings, a table of contents "
                "and landmarks, content in reading order and linked footnotes. Some "
                "images lack text alternatives. Text size and fonts can be changed by "
                "the reading system. No flashing, sound or motion simulation hazards.",
            .title = "Title",
            .publisher = "Publisher",
            .date = "Date",
            .edition = "Edition",
            .source = "Source",
            .rights = "Rights",
            .link = "Link",
            .description = "Description",
            .identifier = "Identifier",
            .sep = ": ",
            .list_sep = ", ",
            .edition_pre = "",
            .edition_post = "",
            .typeset_pre = "Typeset by ",
            .typeset_post = "",
        },
    .roles =
        {
            {"aut", "Author", ""},
            {"edt", "Editor", "(editor)"},
            {"trl", "Translator", "(translator)"},
            {"spk", "Speaker", "(speaker)"},
            {"ill", "Illustrator", "(illustrator)"},
            {"pht", "Photographer", "(photographer)"},
            {"nrt", "Narrator", "(narrator)"},
            {"com", "Compiler", "(compiler)"},
            {"ctb", "Contributor", "(contributor)"},
            {"pbl", "Publisher", "(publisher)"},
            {"cov", "Cover designer", "(cover design)"},
            {"bkd", "Book designer", "(book design)"},
        },
};

/* Traditional Chinese for zh-Hant and the regions that write it. */
static bool is_hant(const char *tag) {
  return strstr(tag, "-Hant") || strstr(tag, "-TW") || strstr(tag, "-HK") || strstr(tag, "-MO");
}

/* `tag` is normalised (kmb_lang_normalise). Other languages get English. */
static const lang_table *table_for(const char *tag) {
  if (g_str_has_prefix(tag, "zh")) return is_hant(tag) ? &zh_hant : &zh_hans;
  if (g_str_has_prefix(tag, "ja") && (!tag[2] || tag[2] == '-')) return &ja;
  if (g_str_has_prefix(tag, "ko") && (!tag[2] || tag[2] == '-')) return &ko;
  return &en;
}

const kmb_labels *kmb_labels_for(const char *tag) {
  return &table_for(tag)->labels;
}

void kmb_labels_role(const char *tag, const char *code, const char **name, const char **credit) {
  const lang_table *t = table_for(tag);
  const role_words *ctb = NULL;
  for (size_t i = 0; i < N_ROLES; i++) {
    if (strcmp(t->roles[i].code, "ctb") == 0) ctb = &t->roles[i];
    if (code && strcmp(t->roles[i].code, code) == 0) {
      *name = t->roles[i].name, *credit = t->roles[i].credit;
      return;
    }
  }
  *name = ctb->name, *credit = ctb->credit; /* an unknown relator: a contributor */
}

/* --- callout titles: the word for an admonition kind with no title --- */

typedef struct callout_words {
  const char *kind, *zh_hans, *zh_hant, *ja, *ko, *en;
} callout_words;

static const callout_words callout_table[] = {
    {"note", "注意", "注意", "メモ", "참고", "Note"},
    {"abstract", "摘要", "摘要", "概要", "요약", "Abstract"},
    {"info", "信息", "資訊", "情報", "정보", "Info"},
    {"todo", "待办", "待辦", "TODO", "할 일", "To do"},
    {"tip", "提示", "提示", "ヒント", "팁", "Tip"},
    {"important", "重要", "重要", "重要", "중요", "Important"},
    {"success", "成功", "成功", "成功", "성공", "Success"},
    {"question", "问题", "問題", "質問", "질문", "Question"},
    {"warning", "警告", "警告", "警告", "경고", "Warning"},
    {"caution", "小心", "小心", "注意", "주의", "Caution"},
    {"failure", "失败", "失敗", "失敗", "실패", "Failure"},
    {"danger", "危险", "危險", "危険", "위험", "Danger"},
    {"error", "错误", "錯誤", "エラー", "오류", "Error"},
    {"bug", "缺陷", "缺陷", "バグ", "버그", "Bug"},
    {"example", "示例", "範例", "例", "예시", "Example"},
    {"quote", "引用", "引用", "引用", "인용", "Quote"},
    {"definition", "定义", "定義", "定義", "정의", "Definition"},
    {"theorem", "定理", "定理", "定理", "정리", "Theorem"},
    {"proof", "证明", "證明", "証明", "증명", "Proof"},
    {"exercise", "练习", "練習", "演習", "연습", "Exercise"},
    {"solution", "解答", "解答", "解答", "풀이", "Solution"},
    {"remark", "备注", "備註", "備考", "비고", "Remark"},
};

/* MkDocs' aliases take the word of the kind they are styled as. */
static const char *const callout_alias[][2] = {
    {"summary", "abstract"}, {"tldr", "abstract"},  {"hint", "tip"},        {"check", "success"},
    {"done", "success"},     {"help", "question"},  {"faq", "question"},    {"attention", "warning"},
    {"fail", "failure"},     {"missing", "failure"}, {"cite", "quote"},     {"seealso", "note"},
};

const char *kmb_callout_label(const char *lang, const char *kind, kmb_arena *A) {
  for (size_t i = 0; i < G_N_ELEMENTS(callout_alias); i++)
    if (strcmp(kind, callout_alias[i][0]) == 0) kind = callout_alias[i][1];
  const lang_table *t = table_for(lang ? lang : "zh-Hans");
  for (size_t i = 0; i < G_N_ELEMENTS(callout_table); i++) {
    const callout_words *w = &callout_table[i];
    if (strcmp(kind, w->kind) != 0) continue;
    return t == &zh_hans ? w->zh_hans : t == &zh_hant ? w->zh_hant : t == &ja ? w->ja
           : t == &ko   ? w->ko
                        : w->en;
  }
  /* an unknown kind is its own title ("question2" → "Question2") */
  char *s = kmb_arena_strdup(A, kind);
  s[0] = g_ascii_toupper(s[0]);
  return s;
}
