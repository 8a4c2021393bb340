package io.chat.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HashtagsTest {

    @Test
    void shouldFindHashtagsLowercasedInOrderOfFirstAppearanceWithoutRepeats() {
        assertEquals(List.of("release", "q4"), Hashtags.in("#Release planned for #q4, see #RELEASE notes"));
        assertEquals(List.of(), Hashtags.in("no tags here"));
        assertEquals(List.of(), Hashtags.in(""));
    }

    @Test
    void shouldTakeLettersOfEveryScriptAndDigitsUnderscoresAndHyphensAfterTheFirstLetter() {
        assertEquals(List.of("café", "привет", "東京", "مرحبا", "v2_beta-1", "𝒜b"),
                Hashtags.in("#Café #Привет #東京 #مرحبا #v2_beta-1 #𝒜b"));
    }

    @Test
    void shouldKeepTheCombiningMarksOfALetterAndCompareInNfc() {
        assertEquals(List.of("हिन्दी", "café", "ไทย"), Hashtags.in("#हिन्दी #cafe\u0301 #ไทย"));
        // Lowercase İ is i and a combining dot: still a hashtag a filter can name.
        assertEquals(List.of("i\u0307stanbul"), Hashtags.in("#İstanbul"));
        assertTrue(Hashtags.isValid("i\u0307stanbul"));
        assertEquals("café", Hashtags.normalize("CAFE\u0301"));
        assertEquals(List.of(), Hashtags.in("#\u0301x")); // a mark is no letter to start with
    }

    @Test
    void shouldNotTakeATagThatDoesNotStartWithALetter() {
        assertEquals(List.of(), Hashtags.in("#1 #_x #-x # x ## #"));
        assertEquals(List.of("x1"), Hashtags.in("issue #12 and #x1"));
        assertEquals(List.of("v١٢"), Hashtags.in("#v١٢")); // Arabic-Indic digits are digits
    }

    @Test
    void shouldEndATagAtTheFirstCharacterThatCannotContinueIt() {
        assertEquals(List.of("a", "b", "end", "tag"), Hashtags.in("#a#b #end. (#tag)"));
        assertEquals(List.of("emoji"), Hashtags.in("#emoji😀"));
    }

    @Test
    void shouldIgnoreARunLongerThanOneHundredCharacters() {
        String hundred = "a".repeat(Hashtags.MAX_LENGTH);
        assertEquals(List.of(hundred, "ok"), Hashtags.in("#" + hundred + " #" + hundred + "b #ok"));
    }

    @Test
    void shouldValidateAHashtagAsAFilterNamesIt() {
        assertTrue(Hashtags.isValid("Release"));
        assertTrue(Hashtags.isValid("東京"));
        assertTrue(Hashtags.isValid("a".repeat(Hashtags.MAX_LENGTH)));
        assertFalse(Hashtags.isValid("a".repeat(Hashtags.MAX_LENGTH + 1)));
        assertFalse(Hashtags.isValid("#release"));
        assertFalse(Hashtags.isValid("two words"));
        assertFalse(Hashtags.isValid("1st"));
        assertFalse(Hashtags.isValid(""));
        assertFalse(Hashtags.isValid(null));
    }
}
