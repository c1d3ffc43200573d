"""Speech in and out: speech recognition, speech synthesis, turn taking and barge-in, and the
voice-to-voice latency budget split across the stages of a spoken turn."""

from __future__ import annotations

from techpm import calc
from techpm.generator.facets._calc import GPU, OPEN_SMALL_MODEL, PEAK_TO_MEAN, self_hosted_replicas
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import duration, num, pct
from techpm.generator.reading import say

# Design assumptions of a spoken turn (shown next to the figures they drive).
BUDGET_MS = 800.0             # voice-to-voice when the question states none: a natural conversational gap
NETWORK_MS = 100.0            # audio in and out over the phone or the internet, both directions
ENDPOINT_MS = 200.0           # silence the recogniser waits for before it decides the speaker finished
TTS_FIRST_AUDIO_MS = 150.0    # synthesis of the first audio chunk of a streamed reply
FIRST_SENTENCE_TOKENS = 15    # the reply starts speaking after its first sentence, not the whole answer
TURN_PROMPT_TOKENS = 2_000    # instructions + the conversation so far
CALL_MINUTES = 4.0            # average length of a session when the question states none
TURNS_PER_MINUTE = 4.0        # the caller speaks about four times a minute


def _figures(ctx: Ctx) -> None:
    budget_q = ctx.take("latency_ms", "ttft_ms")
    budget = budget_q.value if budget_q else ctx.assume("voice budget", BUDGET_MS, f"{BUDGET_MS:g} ms voice-to-voice",
                                                         "a natural gap between speakers in conversation")
    fixed = NETWORK_MS + ENDPOINT_MS + TTS_FIRST_AUDIO_MS
    llm_ms = budget - fixed
    ttft = calc.ttft_s(OPEN_SMALL_MODEL, GPU, TURN_PROMPT_TOKENS) * 1000
    first_sentence = ttft + FIRST_SENTENCE_TOKENS * calc.decode_time_per_token_s(OPEN_SMALL_MODEL, GPU, 8,
                                                                                TURN_PROMPT_TOKENS) * 1000
    verdict = (f"the model's first sentence takes about {num(first_sentence)} ms, leaving {num(llm_ms - first_sentence)} ms "
               "of slack" if llm_ms >= first_sentence else
               f"the model's first sentence alone needs about {num(first_sentence)} ms: the budget fails unless "
               "the reply starts with a short acknowledgement while the rest is generated")
    stated = say(budget_q) if budget_q else f"{budget:g} ms"
    ctx.add("voice_budget", "Voice-to-voice budget, stage by stage", llm_ms,
            f"of {stated}: network {NETWORK_MS:g} ms, end-of-speech detection {ENDPOINT_MS:g} ms, first synthesized "
            f"audio {TTS_FIRST_AUDIO_MS:g} ms, which leaves {num(llm_ms)} ms for the language model; {verdict}",
            f"{stated} - ({NETWORK_MS:g} + {ENDPOINT_MS:g} + {TTS_FIRST_AUDIO_MS:g}) ms; model = prefill of "
            f"{num(TURN_PROMPT_TOKENS)} tokens + {FIRST_SENTENCE_TOKENS} decode steps",
            "calc.ttft_s, calc.decode_time_per_token_s", f"{OPEN_SMALL_MODEL} on one {calc.get_gpu(GPU).name} "
            "(roofline, an idle best case)", uses=(budget_q,))
    ctx.values["llm_ms"] = f"{num(llm_ms)} ms"
    ctx.values["voice_budget"] = stated
    conc_q = ctx.take("concurrent_sessions")
    minutes_q = ctx.take("media_minutes")
    minutes = minutes_q.value if minutes_q else ctx.assume("session length", CALL_MINUTES,
                                                           f"{CALL_MINUTES:g} minutes per session", "a typical service call")
    if conc_q is not None:
        concurrency = conc_q.value
    else:
        concurrency = ctx.scale.peak_rps * minutes * 60
    turns_per_s = concurrency * TURNS_PER_MINUTE / 60
    sessions_per_s = concurrency / (minutes * 60)
    minutes_month = concurrency / PEAK_TO_MEAN * 60 * 24 * 30
    conc_text = say(conc_q) + " " + conc_q.unit if conc_q else f"{num(concurrency)} sessions"
    ctx.add("voice_traffic", "Spoken traffic at the peak", turns_per_s,
            f"{conc_text} in progress means {num(sessions_per_s)} new sessions a second and {num(turns_per_s)} model "
            f"turns a second; {num(minutes_month)} minutes of audio a month at a peak-to-mean of {PEAK_TO_MEAN:g}",
            f"Little's law: sessions/s = {num(concurrency)} in flight / {num(minutes * 60)} s; turns/s = in flight "
            f"x {TURNS_PER_MINUTE:g} turns a minute / 60", "calc.little_latency_s (L = lambda W, rearranged)",
            f"{minutes:g}-minute sessions, {TURNS_PER_MINUTE:g} turns a minute", uses=(conc_q, minutes_q))
    ctx.notes["audio_minutes_month"] = minutes_month
    ctx.values["turns_per_s"] = num(turns_per_s)
    plan = self_hosted_replicas(ctx, "voice_replicas", OPEN_SMALL_MODEL, TURN_PROMPT_TOKENS, 60, turns_per_s,
                                noun="turn", uses=(conc_q,))
    if plan is not None:
        ctx.values["voice_gpus"] = num(plan[2])
    stt = getattr(calc, "speech_to_text_cost_usd", None)
    tts = getattr(calc, "text_to_speech_cost_usd", None)
    if stt and tts:
        try:
            audio = stt(minutes_month) + tts(minutes_month * 0.5)
            ctx.add("audio_cost", "Recognition and synthesis per month", audio,
                    f"{num(minutes_month)} minutes recognised and half as many synthesized: about ${audio:,.0f} a month",
                    "minutes x price per minute", "calc.speech_to_text_cost_usd, calc.text_to_speech_cost_usd",
                    "the callee speaks about half the time", uses=(conc_q,))
        except (TypeError, ValueError):
            pass
    share = llm_ms / budget if budget else 0.0
    ctx.values["llm_share"] = pct(max(0.0, share))
    ctx.values["turn_time"] = duration(first_sentence / 1000)


FACET = Facet(
    name="speech",
    title="Speech in and out",
    cues=((r"\bvoice\b", 3), (r"speech|spoken", 3), (r"call[- ]?cent(?:er|re)|contact[- ]cent(?:er|re)", 3),
          (r"phone calls?|\bcalls?\b", 1), (r"\basr\b|speech recogni|transcri", 3), (r"\btts\b|text[- ]to[- ]speech", 3),
          (r"voice[- ]to[- ]voice|barge[- ]in|\bivr\b|hotline|voicemail", 3), (r"\baudio\b|podcast|dictat", 2)),
    boost=lambda b: 2.0 if "voice" in b.modalities else 0.0,
    concept_groups=(
        ("speech recognition", "speech-to-text", "asr", "transcription"),
        ("speech synthesis", "text-to-speech", "tts", "synthesized voice"),
        ("barge-in", "interrupt", "turn-taking", "end-of-speech", "endpointing"),
        ("voice-to-voice", "latency budget", "first audio"),
    ),
    domain_terms=("speech recognition", "text-to-speech", "barge-in", "voice-to-voice", "endpointing",
                  "speech synthesis", "asr"),
    scoping=(
        "What voice-to-voice delay do <<users>> tolerate before the silence feels broken, and is it measured "
        "from the end of their speech to the first audio of the reply?",
        "Which channels carry the audio to <<product>> (phone lines at 8 kHz, an app, a browser), and which "
        "accents, languages and noise levels must speech recognition handle?",
        "May <<users>> interrupt <<product>> mid-sentence (barge-in), and when must a person take over the "
        "conversation?",
    ),
    personas=(Persona("developer", "The voice engineer who owns telephony and audio",
                      "stitches a phone gateway, a recogniser, a model and a synthesizer with custom glue",
                      "deep in audio codecs and real-time systems; new to prompt design",
                      "latency that only shows up on real calls, and transcripts that hide why a turn failed",
                      "per-stage timings for every turn, recorded audio to replay, and one place to tune "
                      "end-of-speech detection"),),
    stages=("caller audio --> [voice activity + end-of-speech detection] --> [streaming speech recognition]",
            "  --> [model: reply streamed sentence by sentence] --> [streaming speech synthesis] --> audio out",
            "  <-- barge-in: new caller speech stops synthesis and cancels the rest of the reply"),
    components=(
        ("Speech recognition", "A streaming recogniser emits partial transcripts while <<users>> speak and a "
         "final one when end-of-speech detection fires; robust recognisers trained on large, noisy, multilingual "
         "audio hold up on phone lines [[whisper]]. Keep the audio and the transcript together: most failures of "
         "<<product>> start as a misheard word."),
        ("Speech synthesis", "The reply is synthesized sentence by sentence as the model streams it, so the "
         "first audio leaves after the first sentence, not the whole answer; a consistent voice and "
         "pronunciation lexicons for names, account terms and numbers read aloud."),
        ("Turn-taking and barge-in", "Voice activity detection runs on the incoming audio all the time; when "
         "<<users>> start talking over <<product>>, synthesis stops within a frame and the unspoken rest of the "
         "reply is dropped from the conversation history, so the model knows what was actually said."),
    ),
    figures=_figures,
    deep_dive=("The voice-to-voice budget",
               "A spoken turn is a relay: end-of-speech detection, recognition, the model's first sentence, "
               "the first synthesized audio, and the network both ways. The budget of <<voice_budget>> leaves "
               "<<llm_ms>> for the model, so the model on the voice path is small and fast, the prompt is a "
               "cached prefix, and anything slow (lookups, long reasoning) is announced with a filler sentence "
               "while it runs. End-of-speech detection is the hidden dial: wait too little and <<product>> "
               "interrupts people who pause mid-thought; wait too long and every turn feels sluggish. Tune it "
               "on recorded conversations from <<users>>, not on clean test audio."),
    risks=(("Misrecognition", "a misheard amount, name or date becomes a wrong action: confirm critical values "
            "aloud before acting, and track word error rate on the terms that matter for <<users>>."),
           ("Latency under load", "the budget holds on an idle server; at <<turns_per_s>> model turns a second "
            "at peak, queueing eats it first, so capacity is sized from loaded throughput.")),
    api=("WS   /v1/voice/sessions        (bidirectional audio stream: partial transcripts, reply audio, events)",
         "POST /v1/voice/sessions/{id}/handoff   {reason}  -> transfer to a person with the transcript"),
    api_notes="Per-minute pricing of audio in and out reads naturally to buyers of <<product>>; the model "
              "tokens behind each minute are the cost to watch.",
    metrics=(("Voice-to-voice latency, p50 / p95", "<= <<voice_budget>>", "silence longer than that feels broken to <<users>>"),
             ("Word error rate on key terms (names, numbers)", "tracked per channel and accent", "misheard words drive wrong actions"),
             ("Barge-ins handled (synthesis stopped in time)", ">= 99%", "talking over <<users>> is rude")),
    recommendation="Stream every stage (recognition, the model, synthesis) and spend the voice budget where "
                   "the figures show it goes, with end-of-speech detection tuned on real recordings.",
)
