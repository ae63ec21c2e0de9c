package dev.nlpstreams.text.language;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LanguageDetectorTest {

  @ParameterizedTest(name = "{0} <- {1}")
  @CsvSource(delimiter = '|', value = {
      "en|The committee met on Tuesday and agreed that the plan was too expensive.",
      "de|Der Ausschuss traf sich am Dienstag, weil der Plan zu teuer war.",
      "fr|Le comité s'est réuni mardi parce que le plan était trop cher.",
      "es|El comité se reunió el martes porque el plan era muy caro.",
      "it|Il comitato si è riunito martedì perché il piano era troppo caro.",
      "nl|De commissie kwam dinsdag bijeen omdat het plan te duur was.",
      "pt|O comitê se reuniu na terça porque o plano era muito caro e não foi aprovado.",
      "ja|委員会は火曜日に会合を開きました。",
      "zh|委员会星期二开会了。",
      "ko|위원회는 화요일에 만났습니다.",
      "ru|Комитет собрался во вторник.",
      "el|Η επιτροπή συνεδρίασε την Τρίτη.",
      "ar|اجتمعت اللجنة يوم الثلاثاء.",
      "he|הוועדה התכנסה ביום שלישי.",
  })
  void namesTheLanguageOfASentence(String expected, String text) {
    DetectedLanguage detected = LanguageDetector.detect(text);
    assertThat(detected.language()).isEqualTo(expected);
    assertThat(detected.confidence()).isGreaterThanOrEqualTo(LanguageDetector.MIN_CONFIDENCE);
  }

  @Test
  void theTinyModelsPseudoGermanReadsAsGerman() {
    assertThat(LanguageDetector.detect("der Hund groß sieht die Katze, weil sie müde ist.")
        .language()).isEqualTo("de");
  }

  @Test
  void withoutEvidenceTheLanguageIsUnknownNotGuessed() {
    assertThat(LanguageDetector.detect("Berlin!").known()).isFalse();
    assertThat(LanguageDetector.detect("").known()).isFalse();
    assertThat(LanguageDetector.detect("12345 ???").known()).isFalse();
    // "de" is Dutch and Spanish/Portuguese-ish at once: a tie is not an answer.
    assertThat(LanguageDetector.detect("de").known()).isFalse();
  }

  @Test
  void aLatinQuoteInsideAnotherScriptDoesNotWin() {
    assertThat(LanguageDetector.detect("東京で the meeting を開きました。").language())
        .isEqualTo("ja");
    assertThat(LanguageDetector.detect("We visited 東京 and the 大阪 castle.").language())
        .isEqualTo("en");
  }
}
