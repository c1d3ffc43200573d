"""Recorded speech: batch transcription, speaker labels, timestamps and summaries of meetings, calls,
lectures and podcasts (the live, conversational case is the ``speech`` facet)."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets._calc import LARGE_MODEL, SMALL_MODEL
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import num, usd

WORDS_PER_MINUTE = 150
TOKENS_PER_WORD = 1.3
SUMMARY_TOKENS = 500
DEFAULT_HOURS = 1_000
CHUNK_MINUTES = 30            # a long recording is summarised in 30-minute pieces, then the pieces


def _figures(ctx: Ctx) -> None:
    hours_q = ctx.take("media_hours")
    hours = hours_q.value if hours_q else ctx.assume("hours of audio", DEFAULT_HOURS, f"{num(DEFAULT_HOURS)} hours of "
                                                     "audio a month", "a first customer's volume")
    tokens = hours * 60 * WORDS_PER_MINUTE * TOKENS_PER_WORD
    pieces = hours * 60 / CHUNK_MINUTES
    stated = hours_q.text if hours_q else f"{num(hours)} hours of audio"
    ctx.add("transcript_tokens", f"Transcript volume of {stated}", tokens,
            f"{num(tokens)} tokens of transcript, summarised in {num(pieces)} pieces of {CHUNK_MINUTES} minutes",
            f"{num(hours)} h x 60 min x {WORDS_PER_MINUTE} words/min x {TOKENS_PER_WORD} tokens/word",
            "arithmetic", "conversational speech; silence and crosstalk change it", uses=(hours_q,))
    small = calc.api_cost_usd(SMALL_MODEL, tokens, pieces * SUMMARY_TOKENS, batch=True)
    large = calc.api_cost_usd(LARGE_MODEL, tokens, pieces * SUMMARY_TOKENS, batch=True)
    asr = f"; recognition itself {usd(hours * 60 * calc.stt_usd_per_minute())} at the tabled per-minute price"
    ctx.add("summary_cost", f"Summarising {stated} with {ctx.values['product']}", small,
            f"{usd(small)} on {SMALL_MODEL} or {usd(large)} on {LARGE_MODEL} through the batch API{asr}",
            f"{num(tokens)} tokens in + {num(pieces)} x {SUMMARY_TOKENS} out, half price", "calc.api_cost_usd",
            "summaries can wait minutes, so batch pricing applies", uses=(hours_q,))
    ctx.values["audio_hours"] = stated


FACET = Facet(
    name="transcription",
    title="Transcribing and summarising recordings",
    cues=((r"transcrib", 3), (r"recordings?|recorded", 2), (r"hours of (?:[a-z]+ ){0,2}(?:audio|speech|recordings?|meetings?|calls?)", 3),
          (r"meeting (?:notes|minutes|recordings?)|\bmeetings?\b", 1), (r"podcasts?|lectures?|interviews?|voicemail", 2),
          (r"diariz|speaker (?:labels|identification)|captions?|subtitles?", 3), (r"summar", 1),
          (r"listen(?:s|ing)? to|ambient|dictation", 3), (r"\bscribe\b|\bvisits?\b|conversations?", 1)),
    boost=lambda b: -3.0 if any(w in b.question.lower() for w in ("concurrent", "real-time", "real time", "live ",
                                                                    "voice agent", "voice assistant", "voice bot")) else 0.0,
    threshold=4.0,
    concept_groups=(
        ("transcri",),
        ("speaker", "diariz"),
        ("timestamp",),
        ("summar",),
    ),
    domain_terms=("diarization", "speaker labels"),
    scoping=(
        "What is recorded for <<product>> (meetings, calls, lectures), in which languages and audio quality, "
        "and who consented to the recording?",
        "What do <<users>> need from each recording: a verbatim transcript, a summary with action items, or search?",
        "How fast must results of <<product>> arrive after a recording ends, and how long may audio be kept?",
    ),
    personas=(Persona("end user", "<<users>> who missed or revisit a recording",
                      "<<users>> rewatch recordings at double speed or rely on someone's notes",
                      "busy; <<users>> skim a summary and jump to the moment that matters",
                      "summaries that miss the decision, and names that are misspelled",
                      "an accurate summary with action items, speaker names and links to the exact moment"),),
    stages=("recording --> [speech recognition, batch: words + timestamps] --> [speaker diarization] --> transcript",
            "  transcript --> [summarise in pieces, then the pieces] --> summary + action items --> search index"),
    components=(
        ("Transcription", "Batch speech recognition with word timestamps turns each recording of <<product>> "
         "into text; robust recognisers hold up on accents and noisy rooms [[whisper]]."),
        ("Speakers", "Diarization labels who spoke when, matched to participant names where the calendar "
         "knows them, so summaries of <<product>> can attribute decisions."),
        ("Summaries", "Long recordings are summarised in pieces and then the pieces are summarised, with "
         "each point linked to its timestamp so <<users>> can check it."),
    ),
    figures=_figures,
    deep_dive=("From <<audio_hours>> to something people read",
               "Transcription is cheap and parallel; the value of <<product>> is in the summary, and its failure "
               "modes are omission (the decision nobody wrote down) and misattribution (the wrong person "
               "committed). Evaluate summaries against notes written by participants, and link every point to "
               "the moment in the recording so <<users>> can verify instead of trusting."),
    risks=(("Consent and retention", "recordings of <<product>> carry voices of people who may not have agreed: "
            "announce recording, honour deletion, and expire audio once transcribed."),),
    api=("POST /v1/recordings   {audio_url | file_id, language?}  -> job; webhook with transcript + summary",),
    api_notes="<<product_title>> is priced per audio hour, with summaries included.",
    metrics=(("Summary points confirmed by participants", ">= 90% of sampled recordings", "trust in the summary of <<product>>"),
             ("Word error rate on names and terms of <<users>>", "tracked per language", "misspelled names erode trust")),
    item_noun="recordings",
    users_noun="participants",
    tradeoffs=(
        ("Timing", "batch after each recording",
         "streaming transcripts when <<users>> need captions live"),
    ),
    recommendation="Transcribe in batch with timestamps and speaker labels, summarise in pieces with links to "
                   "the moment, and let <<users>> correct what <<product>> got wrong.",
)
