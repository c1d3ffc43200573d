"""Speech in and out: speech recognition, speech synthesis, turn taking and barge-in, and the
voice-to-voice latency budget split across the stages of a spoken turn."""

from __future__ import annotations

import re

from techpm import calc
from techpm.generator.facets._calc import (
    GPU,
    OPEN_SMALL_MODEL,
    PEAK_TO_MEAN,
    self_hosted_replicas,
    workload_cost,
)
from techpm.generator.facets.base import Ctx, Facet, Persona
from techpm.generator.figures import duration, num, pct, usd
from techpm.generator.reading import say

# Design assumptions of a spoken turn (shown next to the figures they drive).
BUDGET_MS = 800.0             # voice-to-voice when the question states none: a natural conversational gap
NETWORK_MS = 100.0            # audio in and out over the phone or the internet, both directions
ENDPOINT_MS = 150.0           # silence the recogniser waits for before it decides the speaker finished
ASR_FINAL_MS = 100.0          # the final transcript after end of speech, from a streaming recogniser
TTS_FIRST_AUDIO_MS = 150.0    # synthesis of the first audio chunk of a streamed reply
FIRST_SENTENCE_TOKENS = 15    # the reply starts speaking after its first sentence, not the whole answer
TURN_PROMPT_TOKENS = 2_000    # instructions + the conversation so far
CALL_MINUTES = 4.0            # average length of a session when the question states none
TURNS_PER_MINUTE = 4.0        # the caller speaks about four times a minute
TTS_SHARE = 0.5               # the agent speaks about half of each session


def _item(ctx: Ctx) -> str:
    return ctx.values.get("item", "call")


def _figures(ctx: Ctx) -> None:
    budget_q = ctx.take("latency_ms", "ttft_ms")
    budget = budget_q.value if budget_q else ctx.assume("voice budget", BUDGET_MS, f"{BUDGET_MS:g} ms voice-to-voice",
                                                         "a natural gap between speakers in conversation")
    fixed = NETWORK_MS + ENDPOINT_MS + ASR_FINAL_MS + TTS_FIRST_AUDIO_MS
    llm_ms = budget - fixed
    ttft = calc.ttft_s(OPEN_SMALL_MODEL, GPU, TURN_PROMPT_TOKENS) * 1000
    first_sentence = ttft + FIRST_SENTENCE_TOKENS * calc.decode_time_per_token_s(OPEN_SMALL_MODEL, GPU, 8,
                                                                                TURN_PROMPT_TOKENS) * 1000
    total = calc.voice_latency_budget(ENDPOINT_MS, ASR_FINAL_MS, first_sentence, TTS_FIRST_AUDIO_MS, NETWORK_MS,
                                      target_ms=budget if budget > 0 else BUDGET_MS)
    verdict = (f"the model's first sentence takes about {num(first_sentence)} ms, so the turn totals "
               f"{num(total.total_ms)} ms with {num(total.headroom_ms)} ms of slack" if total.meets_target else
               f"the model's first sentence needs about {num(first_sentence)} ms, so the turn totals "
               f"{num(total.total_ms)} ms and misses the budget unless the reply starts with a short "
               "acknowledgement while the rest is generated")
    stated = say(budget_q) if budget_q else f"{budget:g} ms"
    ctx.add("voice_budget", "Voice-to-voice budget, stage by stage", llm_ms,
            f"of {stated}: end-of-speech detection {ENDPOINT_MS:g} ms, final transcript {ASR_FINAL_MS:g} ms, first "
            f"synthesized audio {TTS_FIRST_AUDIO_MS:g} ms and network {NETWORK_MS:g} ms leave {num(llm_ms)} ms for "
            f"the language model; {verdict}",
            f"{stated} - ({ENDPOINT_MS:g} + {ASR_FINAL_MS:g} + {TTS_FIRST_AUDIO_MS:g} + {NETWORK_MS:g}) ms; model = "
            f"prefill of {num(TURN_PROMPT_TOKENS)} tokens + {FIRST_SENTENCE_TOKENS} decode steps",
            "calc.voice_latency_budget, calc.ttft_s, calc.decode_time_per_token_s",
            f"{OPEN_SMALL_MODEL} on one {calc.get_gpu(GPU).name} (roofline, an idle best case); stage times are "
            "design assumptions to measure", uses=(budget_q,))
    ctx.values["llm_ms"] = f"{num(llm_ms)} ms"
    ctx.values["voice_budget"] = stated
    conc_q = ctx.take("concurrent_sessions")
    minutes_q = ctx.take("media_minutes")
    minutes = minutes_q.value if minutes_q else ctx.assume("session length", CALL_MINUTES,
                                                           f"{CALL_MINUTES:g} minutes per session",
                                                           "a typical service session")
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
    turns = minutes * TURNS_PER_MINUTE
    workload_cost(ctx, "session_cost", _item(ctx), turns * TURN_PROMPT_TOKENS, turns * 60,
                  ctx.scale.per_month, cached_prefix=turns * TURN_PROMPT_TOKENS * 0.8, uses=(conc_q,),
                  basis=f"{turns:g} turns per {minutes:g}-minute session, {num(TURN_PROMPT_TOKENS)} tokens of "
                        "prompt and 60 of reply per turn, most of the prompt a cached prefix")
    stt, tts = calc.stt_usd_per_minute(), calc.tts_usd_per_minute()
    audio = minutes_month * stt + minutes_month * TTS_SHARE * tts
    ctx.add("audio_cost", "Recognition and synthesis per month", audio,
            f"{usd(audio)} a month: {num(minutes_month)} minutes recognised at {usd(stt)} a minute and "
            f"{pct(TTS_SHARE)} of them synthesized at {usd(tts)} a minute",
            "minutes x price per minute, each direction", "calc.stt_usd_per_minute, calc.tts_usd_per_minute",
            "list prices of the tabled default speech models (techpm/data/audio_prices.json)", uses=(conc_q,))
    share = llm_ms / budget if budget else 0.0
    ctx.values["llm_share"] = pct(max(0.0, share))
    ctx.values["turn_time"] = duration(first_sentence / 1000)


FACET = Facet(
    name="speech",
    title="Speech in and out",
    cues=((r"\bvoice\b", 3), (r"\bspeech\b|spoken", 3), (r"call[- ]?cent(?:er|re)|contact[- ]cent(?:er|re)", 3),
          (r"phone calls?|\bcalls?\b", 1), (r"\basr\b|speech recogni", 2), (r"\btts\b|text[- ]to[- ]speech|dubb", 3),
          (r"voice[- ]to[- ]voice|barge[- ]in|\bivr\b|hotline", 3), (r"\baudio\b|dictat", 1),
          (r"real[- ]time|live|concurrent|conversation", 1), (r"aloud|out loud|narrat|read(?:s|ing)? to (?:them|kids|children)", 3),
          (r"\bsiri\b|alexa|google assistant|voice assistant|voice bot", 4)),
    boost=lambda b: (1.0 if "voice" in b.modalities else 0.0)
    - (3.0 if re.search(r"brand voice|tone of voice|voice and tone|in (?:our|their|your) voice", b.question.lower()) else 0.0),
    concept_groups=(
        ("speech recognition", "speech-to-text", "asr", "transcription"),
        ("speech synthesis", "text-to-speech", "tts", "synthesized voice"),
        ("barge-in", "interrupt", "turn-taking", "end-of-speech", "endpointing"),
        ("voice-to-voice", "latency budget", "first audio"),
    ),
    domain_terms=("text-to-speech", "barge-in", "voice-to-voice", "speech synthesis"),
    scoping=(
        "What voice-to-voice delay do <<users>> tolerate before the silence feels broken, and is it measured "
        "from the end of their speech to the first audio of the reply?",
        "Which channels carry the audio to <<product>> (phone lines at 8 kHz, an app, a browser), and which "
        "accents, languages and noise levels must speech recognition handle?",
        "May <<users>> interrupt <<product>> mid-sentence (barge-in), and when must a person take over the "
        "conversation?",
    ),
    personas=(Persona("developer", "the voice engineer who owns the audio pipeline of <<product>>",
                      "stitches audio capture, a recogniser, a model and a synthesizer with custom glue for each <<item>>",
                      "deep in audio codecs and real-time systems; new to prompting the model behind <<product>>",
                      "latency that only shows up on real <<items>>, and transcripts that hide why a turn failed",
                      "per-stage timings for every turn of <<product>>, recorded audio to replay, and one place "
                      "to tune end-of-speech detection"),),
    stages=("caller audio --> [voice activity + end-of-speech detection] --> [streaming speech recognition]",
            "  --> [model: reply streamed sentence by sentence] --> [streaming speech synthesis] --> audio out",
            "  <-- barge-in: new caller speech stops synthesis and cancels the rest of the reply"),
    components=(
        ("Speech recognition", "A streaming recogniser emits partial transcripts while <<users>> speak and a "
         "final one when end-of-speech detection fires; robust recognisers trained on large, noisy, multilingual "
         "audio hold up on noisy channels [[whisper]]. Keep the audio and the transcript together: most failures of "
         "<<product>> start as a misheard word."),
        ("Speech synthesis", "The reply of <<product>> is synthesized sentence by sentence as the model streams "
         "it, so the first audio leaves after the first sentence, not the whole answer. A consistent voice and "
         "pronunciation lexicons cover the names, terms and numbers <<users>> hear read aloud."),
        ("Turn-taking and barge-in", "Voice activity detection runs on the incoming audio all the time; when "
         "<<users>> start talking over <<product>>, synthesis stops within milliseconds and the unspoken rest of the "
         "reply is dropped from the conversation history, so the model knows what was actually said."),
    ),
    figures=_figures,
    deep_dive=("The voice-to-voice budget",
               "A spoken turn of <<product>> is a relay: end-of-speech detection, recognition, the model's first "
               "sentence, the first synthesized audio, and the network both ways. The budget of <<voice_budget>> leaves "
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
    metrics=(("Voice-to-voice latency of <<product>>, p50 / p95", "<= <<voice_budget>>", "silence longer than that feels broken to <<users>>"),
             ("Word error rate on the key terms of <<items>>", "tracked per channel and accent", "misheard words drive wrong actions"),
             ("Barge-ins handled by <<product>> (synthesis stopped in time)", ">= 99%", "talking over <<users>> is rude")),
    users_noun="callers",
    item_noun="sessions",
    tradeoffs=(
        ("Pipeline shape", "recognition, model and synthesis as three streamed stages",
         "a speech-to-speech model: fewer hops and more natural prosody, but harder to audit and to ground each turn of <<product>>"),
        ("End-of-speech wait", "short, tuned per channel",
         "longer waits suit <<users>> who pause mid-sentence, at the cost of every turn feeling slower"),
        ("Model on the voice path", "a small, fast model with tools",
         "the large model wins for the rare complex <<items>>, announced with a filler sentence while it thinks"),
    ),
    recommendation="Stream every stage of <<product>> (recognition, the model, synthesis), spend the "
                   "<<voice_budget>> where the figures show it goes, and tune end-of-speech detection on real "
                   "recordings.",
)
