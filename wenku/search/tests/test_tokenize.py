from wenku.search.tokenize import (
    fold,
    index_text,
    normalize_query,
    query_tokens,
    tokens,
)


def test_fold_traditional_to_simplified():
    assert fold("教育工作會議") == "教育工作会议"


def test_fold_full_width_and_case():
    assert fold("ＰＹＴＨＯＮ　３") == "python 3"
    assert fold("Straße") == "strasse"


def test_fold_drops_nul_and_lone_surrogates():
    assert fold("教\x00育\ud800") == "教 育"


def test_tokens_segment_chinese_and_keep_english_words():
    assert tokens("副区长在2021年教育工作会议上的讲话 Hello World") == [
        "区长",
        "副区长",
        "在",
        "2021",
        "年",
        "教育",
        "工作",
        "会议",
        "上",
        "的",
        "讲话",
        "hello",
        "world",
    ]


def test_tokens_split_punctuation_out_of_words():
    assert tokens("C++、e-mail：3.14") == ["c", "mail", "e", "mail", "3", "14"]


def test_traditional_and_simplified_index_the_same():
    assert index_text("教育工作會議") == index_text("教育工作会议") == "教育 工作 会议"


def test_query_tokens_drop_stopwords_and_repeats():
    assert query_tokens("教育的教育") == ["教育"]
    assert query_tokens("的") == ["的"]


def test_query_tokens_of_punctuation_only_is_empty():
    assert query_tokens('" * ( ) : ^ - ，。！') == []


def test_long_query_is_capped():
    assert len(normalize_query("教育" * 5000)) == 200
    assert len(query_tokens("教育工作会议领导讲话通知" * 1000)) <= 16
