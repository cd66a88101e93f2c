package dev.objectstorage.sample;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FileNamesTests {

	@Test
	void keepsOnlyTheLastSegmentWithoutControlCharacters() {
		assertThat(FileNames.sanitise("C:\\Users\\ann\\report.pdf")).isEqualTo("report.pdf");
		assertThat(FileNames.sanitise("../../etc/passwd")).isEqualTo("passwd");
		assertThat(FileNames.sanitise("a\r\nb\u0000.txt")).isEqualTo("ab.txt");
		assertThat(FileNames.sanitise("..")).isEqualTo("upload");
		assertThat(FileNames.sanitise("  ")).isEqualTo("upload");
		assertThat(FileNames.sanitise("ünï cødé #1?.txt")).isEqualTo("ünï cødé #1?.txt");
	}

}
