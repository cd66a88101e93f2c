package dev.objectstorage.sample;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * The conditional request headers of RFC 9110 (section 13), evaluated in the RFC's order against the
 * version being sent: {@code If-Match} (strong comparison; else {@code If-Unmodified-Since}), then
 * {@code If-None-Match} (weak comparison; else {@code If-Modified-Since}, for GET and HEAD), and
 * {@code If-Range} for ranges. Malformed values are the client's error (400), never a 500.
 * <p>
 * Written here rather than with {@code ServerWebExchange.checkNotModified}: that method answers
 * 200 to {@code If-None-Match: *} and to a failing {@code If-Match} on GET, and throws on malformed
 * entity tags.
 */
final class Preconditions {

	/** What the conditions say. */
	enum Outcome {

		/** Send the representation. */
		PROCEED,

		/** 304: the client's copy is current (GET and HEAD). */
		NOT_MODIFIED,

		/** 412: a precondition of the request fails. */
		FAILED

	}

	private Preconditions() {
	}

	/**
	 * Evaluates the request's conditions against the current representation.
	 * @param headers the request's headers
	 * @param safe whether the method is GET or HEAD
	 * @param etag the current entity tag, or {@code null} if there is no representation
	 * @param lastModified when it was last modified, or {@code null}
	 * @return the outcome
	 * @throws MalformedHeaderException if a conditional header cannot be parsed
	 */
	static Outcome evaluate(HttpHeaders headers, boolean safe, @Nullable String etag, @Nullable Instant lastModified) {
		String ifMatch = headers.getFirst(HttpHeaders.IF_MATCH);
		if (ifMatch != null) {
			if (!matches(HttpHeaders.IF_MATCH, ifMatch, etag, true)) {
				return Outcome.FAILED;
			}
		}
		else {
			Instant unmodifiedSince = date(headers, HttpHeaders.IF_UNMODIFIED_SINCE);
			if (unmodifiedSince != null && lastModified != null && seconds(lastModified).isAfter(unmodifiedSince)) {
				return Outcome.FAILED;
			}
		}
		String ifNoneMatch = headers.getFirst(HttpHeaders.IF_NONE_MATCH);
		if (ifNoneMatch != null) {
			if (matches(HttpHeaders.IF_NONE_MATCH, ifNoneMatch, etag, false)) {
				return safe ? Outcome.NOT_MODIFIED : Outcome.FAILED;
			}
		}
		else if (safe) {
			Instant modifiedSince = date(headers, HttpHeaders.IF_MODIFIED_SINCE);
			if (modifiedSince != null && lastModified != null && !seconds(lastModified).isAfter(modifiedSince)) {
				return Outcome.NOT_MODIFIED;
			}
		}
		return Outcome.PROCEED;
	}

	/**
	 * Whether a {@code Range} applies under the request's {@code If-Range} (RFC 9110, 13.1.5): there
	 * is none, or it names this version (strong comparison), or it is a date equal to the last
	 * modification (a weak validator then: this server compares whole seconds).
	 * @param headers the request's headers
	 * @param etag the version's entity tag
	 * @param lastModified when it was last modified, or {@code null}
	 * @return {@code true} if the range applies
	 */
	static boolean rangeApplies(HttpHeaders headers, String etag, @Nullable Instant lastModified) {
		String ifRange = headers.getFirst(HttpHeaders.IF_RANGE);
		if (ifRange == null) {
			return true;
		}
		String value = ifRange.trim();
		if (value.startsWith("\"") || value.startsWith("W/")) {
			List<String> tags = entityTags(HttpHeaders.IF_RANGE, value);
			return tags.size() == 1 && !tags.get(0).startsWith("W/") && tags.get(0).equals(etag);
		}
		Instant date = parseDate(HttpHeaders.IF_RANGE, value);
		return lastModified != null && seconds(lastModified).equals(date);
	}

	private static boolean matches(String header, String value, @Nullable String etag, boolean strong) {
		if (value.trim().equals("*")) {
			return etag != null;
		}
		if (etag == null) {
			return false;
		}
		for (String tag : entityTags(header, value)) {
			boolean weak = tag.startsWith("W/");
			if (strong && weak) {
				continue; // a weak tag never matches strongly
			}
			String opaque = weak ? tag.substring(2) : tag;
			String current = etag.startsWith("W/") ? etag.substring(2) : etag;
			if (opaque.equals(current)) {
				return true;
			}
		}
		return false;
	}

	/** Parses a list of entity tags ({@code "a", W/"b"}); anything else is malformed. */
	static List<String> entityTags(String header, String value) {
		List<String> tags = new ArrayList<>();
		int i = 0;
		int n = value.length();
		while (i < n) {
			char c = value.charAt(i);
			if (c == ' ' || c == '\t' || c == ',') {
				i++;
				continue;
			}
			int start = i;
			if (value.startsWith("W/", i)) {
				i += 2;
			}
			if (i >= n || value.charAt(i) != '"') {
				throw new MalformedHeaderException(header, value);
			}
			int close = value.indexOf('"', i + 1);
			if (close < 0) {
				throw new MalformedHeaderException(header, value);
			}
			for (int j = i + 1; j < close; j++) {
				char t = value.charAt(j);
				if (t < 0x21 || t == 0x7f) {
					throw new MalformedHeaderException(header, value); // etagc: no spaces or controls
				}
			}
			tags.add(value.substring(start, close + 1));
			i = close + 1;
			while (i < n && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
				i++;
			}
			if (i < n && value.charAt(i) != ',') {
				throw new MalformedHeaderException(header, value);
			}
		}
		if (tags.isEmpty()) {
			throw new MalformedHeaderException(header, value);
		}
		return tags;
	}

	private static @Nullable Instant date(HttpHeaders headers, String header) {
		String value = headers.getFirst(header);
		if (value == null) {
			return null;
		}
		try {
			return parseDate(header, value.trim());
		}
		catch (MalformedHeaderException ex) {
			return null; // RFC 9110: an invalid date in If-(Un)Modified-Since is ignored
		}
	}

	private static Instant parseDate(String header, String value) {
		try {
			return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.US)).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new MalformedHeaderException(header, value);
		}
	}

	/** HTTP dates have whole seconds. */
	private static Instant seconds(Instant instant) {
		return Instant.ofEpochSecond(instant.getEpochSecond());
	}

}
