"""Every user-facing message of the dashboard, in French (first) and English.

``t(key, lang, **values)`` returns the message in ``lang`` (French when the language is unknown)
with ``str.format`` placeholders filled. Typography: French uses a narrow no-break space
(U+202F) before ``: ; ! ? %`` and French quotation marks.
"""

from __future__ import annotations

LANGS = ("fr", "en")
DEFAULT_LANG = "fr"

_ = "\u202f"  # narrow no-break space

MESSAGES: dict[str, dict[str, str]] = {
    # Shell
    "site_title": {"fr": "Les cancers en France", "en": "Cancer in France"},
    "site_subtitle": {"fr": "Statistiques publiques du registre national des cancers",
                      "en": "Public statistics of the national cancer registry"},
    "skip_link": {"fr": "Aller au contenu", "en": "Skip to content"},
    "nav_label": {"fr": "Navigation principale", "en": "Main navigation"},
    "nav_home": {"fr": "Accueil", "en": "Home"},
    "nav_map": {"fr": "Carte", "en": "Map"},
    "nav_trends": {"fr": "Évolution", "en": "Trends"},
    "nav_inequalities": {"fr": "Inégalités", "en": "Inequalities"},
    "nav_methods": {"fr": "Méthodes et sources", "en": "Methods and sources"},
    "switch_lang": {"fr": "English", "en": "Français"},
    "switch_lang_label": {"fr": "Read this page in English", "en": "Lire cette page en français"},
    "simulated_banner": {
        "fr": f"Données simulées — ne pas citer{_}: cette version est construite à partir d’un "
              "registre fictif de démonstration.",
        "en": "Simulated data — do not cite: this release is built from a fictitious "
              "demonstration registry."},
    "footer_release": {"fr": "Version des données {release_id}, publiée le {date}.",
                       "en": "Data release {release_id}, published on {date}."},
    "footer_licence": {"fr": "Données sous {licence}.", "en": "Data under {licence}."},
    "footer_accessibility": {"fr": "Accessibilité{_}: partiellement conforme",
                             "en": "Accessibility: partially compliant"},
    "notes_title": {"fr": "Adresse corrigée", "en": "Address corrected"},
    "note_bad_param": {
        "fr": "La valeur « {value} » du paramètre « {key} » n’est pas disponible{_}: "
              "« {default} » est affiché à la place.",
        "en": "The value “{value}” of parameter “{key}” is not available: "
              "“{default}” is shown instead."},
    "loading": {"fr": "Chargement…", "en": "Loading…"},
    "copy_link_hint": {"fr": "L’adresse de cette page décrit la vue affichée{_}: "
                             "copiez-la pour la partager.",
                       "en": "This page’s address describes the view shown: copy it to share it."},
    # Titles
    "title_home": {"fr": "Accueil", "en": "Home"},
    "title_map": {"fr": "Carte des territoires", "en": "Map of areas"},
    "title_trends": {"fr": "Évolution dans le temps", "en": "Trends over time"},
    "title_inequalities": {"fr": "Inégalités sociales et territoriales",
                           "en": "Social and geographical inequalities"},
    "title_methods": {"fr": "Méthodes et sources", "en": "Methods and sources"},
    "title_not_found": {"fr": "Page introuvable", "en": "Page not found"},
    "title_profile": {"fr": "Profil{_}: {name}", "en": "Profile: {name}"},
    # 404
    "not_found_text": {
        "fr": "La page demandée n’existe pas ou a été déplacée. Vérifiez l’adresse ou "
              "reprenez depuis l’accueil.",
        "en": "The page you asked for does not exist or has moved. Check the address or "
              "start again from the home page."},
    "not_found_back": {"fr": "Retour à l’accueil", "en": "Back to the home page"},
    "title_unavailable": {"fr": "Données indisponibles", "en": "Data unavailable"},
    "release_unavailable": {
        "fr": "Les données ne sont pas disponibles sur ce serveur pour le moment. Réessayez "
              "dans quelques minutes.",
        "en": "The data are not available on this server at the moment. Please try again in a "
              "few minutes."},
    "unknown_area": {"fr": "Ce territoire n’existe pas dans les données publiées.",
                     "en": "This area does not exist in the published data."},
    # Controls
    "ctl_measure": {"fr": "Mesure", "en": "Measure"},
    "ctl_site": {"fr": "Localisation du cancer", "en": "Cancer site"},
    "ctl_sex": {"fr": "Sexe", "en": "Sex"},
    "ctl_period": {"fr": "Période", "en": "Period"},
    "ctl_indicator": {"fr": "Indicateur", "en": "Indicator"},
    "ctl_level": {"fr": "Découpage géographique", "en": "Geographic level"},
    "ctl_rhythm": {"fr": "Pas de temps", "en": "Time step"},
    "ctl_compare": {"fr": "Comparer avec", "en": "Compare with"},
    "ctl_compare_n": {"fr": "Territoire {n}", "en": "Area {n}"},
    "ctl_zone": {"fr": "Territoire (inégalités sociales)", "en": "Area (social inequalities)"},
    "ctl_none": {"fr": "(aucun)", "en": "(none)"},
    "filters": {"fr": "Choix de la vue", "en": "View options"},
    "measure_incidence": {"fr": "Nouveaux cas (incidence)", "en": "New cases (incidence)"},
    "measure_mortality": {"fr": "Décès (mortalité)", "en": "Deaths (mortality)"},
    "measure_incidence_short": {"fr": "incidence", "en": "incidence"},
    "measure_mortality_short": {"fr": "mortalité", "en": "mortality"},
    "sex_all": {"fr": "Les deux sexes", "en": "Both sexes"},
    "sex_male": {"fr": "Hommes", "en": "Men"},
    "sex_female": {"fr": "Femmes", "en": "Women"},
    "level_department": {"fr": "Départements", "en": "Departments"},
    "level_region": {"fr": "Régions", "en": "Regions"},
    "level_country": {"fr": "France", "en": "France"},
    "level1_department": {"fr": "Département", "en": "Department"},
    "level1_region": {"fr": "Région", "en": "Region"},
    "rhythm_year": {"fr": "Années", "en": "Single years"},
    "rhythm_period": {"fr": "Périodes de 5 ans", "en": "5-year periods"},
    "ind_asr_world": {"fr": "Taux standardisé (population mondiale)",
                      "en": "Age-standardised rate (world population)"},
    "ind_asr_europe": {"fr": "Taux standardisé (population européenne)",
                       "en": "Age-standardised rate (European population)"},
    "ind_crude_rate": {"fr": "Taux brut", "en": "Crude rate"},
    "ind_asr_world_short": {"fr": "Taux std. monde", "en": "World std. rate"},
    "ind_asr_europe_short": {"fr": "Taux std. Europe", "en": "European std. rate"},
    "ind_crude_rate_short": {"fr": "Taux brut", "en": "Crude rate"},
    "ind_cases": {"fr": "Nombre de cas", "en": "Number of cases"},
    "ind_cases_mortality": {"fr": "Nombre de décès", "en": "Number of deaths"},
    "ind_sir": {"fr": "Rapport standardisé (SIR) brut", "en": "Standardised ratio (SIR), raw"},
    "ind_sir_smoothed": {"fr": "Rapport standardisé (SIR) lissé",
                         "en": "Standardised ratio (SIR), smoothed"},
    "unit_rate": {"fr": "pour 100{_}000 personnes-années",
                  "en": "per 100,000 person-years"},
    "unit_rate_short": {"fr": "pour 100{_}000", "en": "per 100,000"},
    "unit_ratio": {"fr": "1 = comme la France", "en": "1 = as France"},
    # Common words
    "france": {"fr": "France", "en": "France"},
    "area": {"fr": "Territoire", "en": "Area"},
    "value": {"fr": "Valeur", "en": "Value"},
    "interval": {"fr": "Intervalle de confiance à 95{_}%", "en": "95% confidence interval"},
    "cases": {"fr": "Cas", "en": "Cases"},
    "deaths": {"fr": "Décès", "en": "Deaths"},
    "vs_france": {"fr": "Par rapport à la France", "en": "Compared with France"},
    "flag_higher": {"fr": "Supérieur", "en": "Higher"},
    "flag_lower": {"fr": "Inférieur", "en": "Lower"},
    "flag_not_different": {"fr": "Non différent", "en": "Not different"},
    "flag_long_higher": {"fr": "significativement supérieur à la France",
                         "en": "significantly higher than France"},
    "flag_long_lower": {"fr": "significativement inférieur à la France",
                        "en": "significantly lower than France"},
    "flag_long_not_different": {"fr": "pas de différence significative avec la France",
                                "en": "no significant difference with France"},
    "ineq_indices": {"fr": "Indicateurs d’inégalité", "en": "Inequality indices"},
    "and": {"fr": " et ", "en": " and "},
    "group_country": {"fr": "France", "en": "France"},
    "group_region": {"fr": "régions", "en": "regions"},
    "group_department": {"fr": "départements", "en": "departments"},
    "downloads_rates": {"fr": "Télécharger les taux", "en": "Download the rates"},
    "downloads_trends": {"fr": "Télécharger les tendances", "en": "Download the trends"},
    "suppressed": {"fr": "non diffusable (secret statistique)",
                   "en": "not published (statistical confidentiality)"},
    "not_published_here": {"fr": "pas de donnée publiée à ce niveau pour cette période",
                           "en": "no figure is published at this level for this period"},
    "no_data": {"fr": "Aucune donnée publiée pour cette sélection.",
                "en": "No data published for this selection."},
    "trend_rising": {"fr": "en hausse", "en": "rising"},
    "trend_falling": {"fr": "en baisse", "en": "falling"},
    "trend_stable": {"fr": "stable", "en": "stable"},
    "trend_none": {"fr": "tendance non estimée", "en": "trend not estimated"},
    "data_table": {"fr": "Tableau des données", "en": "Data table"},
    "show_table": {"fr": "Afficher le tableau des données du graphique",
                   "en": "Show the chart’s data table"},
    "downloads": {"fr": "Télécharger les données", "en": "Download the data"},
    "download_csv": {"fr": "CSV", "en": "CSV"},
    "download_csv_excel": {"fr": "CSV pour Excel", "en": "CSV for Excel"},
    "download_parquet": {"fr": "Parquet", "en": "Parquet"},
    "download_json": {"fr": "JSON", "en": "JSON"},
    "download_label": {"fr": "Télécharger les données de cette vue au format {fmt}",
                       "en": "Download this view’s data as {fmt}"},
    "year": {"fr": "Année", "en": "Year"},
    "period": {"fr": "Période", "en": "Period"},
    # Home
    "home_lead": {
        "fr": "Combien de nouveaux cas de cancer et de décès chaque année, où, et comment "
              "ces chiffres évoluent{_}: les indicateurs publics du registre national des "
              "cancers, calculés pour la France, ses régions et ses départements.",
        "en": "How many new cancer cases and deaths each year, where, and how these figures "
              "change: the public indicators of the national cancer registry, for France, its "
              "regions and its departments."},
    "home_key_figures": {"fr": "Chiffres clés en France", "en": "Key figures for France"},
    "home_year": {"fr": "En {period}", "en": "In {period}"},
    "home_period": {"fr": "Sur la période {period} (moyenne annuelle des taux)",
                    "en": "Over {period} (annual average rates)"},
    "home_new_cases": {"fr": "nouveaux cas de cancer", "en": "new cancer cases"},
    "home_deaths": {"fr": "décès par cancer", "en": "cancer deaths"},
    "home_rate": {"fr": "taux standardisé monde{_}: {value} pour 100{_}000",
                  "en": "world age-standardised rate: {value} per 100,000"},
    "home_trend": {"fr": "Tendance {first}–{last}{_}: {label} ({aapc} par an en moyenne)",
                   "en": "Trend {first}–{last}: {label} ({aapc} per year on average)"},
    "home_top_sites": {"fr": "Les cancers les plus fréquents ({period})",
                       "en": "The most frequent cancers ({period})"},
    "home_top_sites_caption": {
        "fr": "Nombre de nouveaux cas sur la période, par localisation (hors «{_}tous "
              "cancers{_}»).",
        "en": "Number of new cases over the period, by site (excluding “all cancers”)."},
    "home_offer": {"fr": "Ce que propose ce site", "en": "What this site offers"},
    "home_offer_map": {"fr": "Comparer les départements et les régions sur une carte.",
                       "en": "Compare departments and regions on a map."},
    "home_offer_trends": {"fr": "Suivre l’évolution des taux depuis {first}.",
                          "en": "Follow how rates have changed since {first}."},
    "home_offer_inequalities": {
        "fr": "Mesurer les écarts selon la défavorisation sociale et entre territoires.",
        "en": "Measure gaps by social deprivation and between areas."},
    "home_offer_methods": {"fr": "Comprendre comment les chiffres sont calculés et protégés.",
                           "en": "Understand how the figures are computed and protected."},
    "home_release": {"fr": "Données publiées le {date} (version {release_id}), couvrant "
                           "{first} à {last}.",
                     "en": "Data published on {date} (release {release_id}), covering "
                           "{first} to {last}."},
    "rank": {"fr": "Rang", "en": "Rank"},
    # Map
    "map_heading": {"fr": "{indicator}{_}: {measure}, {site}, {sex}, {period}",
                    "en": "{indicator}: {measure}, {site}, {sex}, {period}"},
    "map_graph_label": {"fr": "Carte{_}: {title}", "en": "Map: {title}"},
    "legend_title": {"fr": "Légende", "en": "Legend"},
    "legend_quantiles": {
        "fr": "Classes par quantiles{_}: chaque couleur regroupe environ le même nombre de "
              "territoires.",
        "en": "Quantile classes: each colour holds about the same number of areas."},
    "legend_fixed_sir": {
        "fr": "Classes fixes centrées sur 1 (la France){_}: orange = plus élevé, "
              "violet = plus faible.",
        "en": "Fixed classes centred on 1 (France): orange = higher, purple = lower."},
    "legend_from_to": {"fr": "de {low} à moins de {high}", "en": "{low} to under {high}"},
    "legend_below": {"fr": "moins de {high}", "en": "under {high}"},
    "legend_above": {"fr": "{low} ou plus", "en": "{low} or more"},
    "legend_suppressed": {"fr": "non diffusable (secret statistique)",
                          "en": "not published (statistical confidentiality)"},
    "paris_zoom": {"fr": "Paris et petite couronne", "en": "Paris and inner suburbs"},
    "map_click_hint": {"fr": "Cliquez sur un territoire pour ouvrir son profil.",
                       "en": "Click an area to open its profile."},
    "ranking_title": {"fr": "Classement", "en": "Ranking"},
    "ranking_label": {"fr": "Classement des territoires avec intervalles de confiance",
                      "en": "Ranking of areas with confidence intervals"},
    "summary_title": {"fr": "En bref", "en": "In brief"},
    "summary_high_low": {
        "fr": "{indicator_cap} le plus élevé{_}: {high_name} ({high_value}). "
              "Le plus bas{_}: {low_name} ({low_value}).",
        "en": "Highest {indicator}: {high_name} ({high_value}). Lowest: {low_name} "
              "({low_value})."},
    "summary_flags": {
        "fr": "Par rapport à la France, à âge égal{_}: niveau significativement plus élevé "
              "pour {higher}, plus faible pour {lower}, pas de différence significative pour "
              "{same}.",
        "en": "Compared with France, at equal age: significantly higher level for {higher}, "
              "lower for {lower}, no significant difference for {same}."},
    "summary_suppressed": {
        "fr": "Non diffusés (secret statistique){_}: {n}.",
        "en": "Not published (statistical confidentiality): {n}."},
    "summary_france": {"fr": "France entière{_}: {value}.", "en": "France as a whole: {value}."},
    "areas_department": {"fr": "départements", "en": "departments"},
    "area_department": {"fr": "département", "en": "department"},
    "area_region": {"fr": "région", "en": "region"},
    "areas_region": {"fr": "régions", "en": "regions"},
    # Trends
    "trends_lead": {
        "fr": "Taux par année ou par période de 5 ans, avec leur intervalle de confiance à "
              "95{_}% (bande colorée). Les traits pointillés sont les tendances estimées par "
              "régression joinpoint{_}; le pourcentage annuel moyen d’évolution (AAPC) "
              "résume la tendance.",
        "en": "Rates by year or 5-year period, with their 95% confidence interval (shaded "
              "band). Dotted lines are the trends fitted by joinpoint regression; the average "
              "annual percent change (AAPC) summarises the trend."},
    "trends_graph_label": {"fr": "Évolution{_}: {title}", "en": "Trend: {title}"},
    "fitted": {"fr": "tendance estimée", "en": "fitted trend"},
    "trend_table_title": {"fr": "Tendances estimées (régression joinpoint)",
                          "en": "Fitted trends (joinpoint regression)"},
    "aapc": {"fr": "Évolution annuelle moyenne (AAPC)", "en": "Average annual percent change"},
    "aapc_last5": {"fr": "AAPC des 5 dernières années", "en": "AAPC, last 5 years"},
    "segments": {"fr": "Segments (APC)", "en": "Segments (APC)"},
    "trend_label": {"fr": "Tendance", "en": "Trend"},
    "departments_pooled_only": {
        "fr": "Les départements sont publiés par périodes de 5 ans seulement (les effectifs "
              "annuels y sont trop petits) : choisissez « Périodes de 5 ans » pour les afficher.",
        "en": "Departments are published for 5-year periods only (their yearly counts are too "
              "small): choose '5-year periods' to show them."},
    "trend_only_world": {
        "fr": "Les tendances joinpoint sont estimées sur le taux standardisé monde par année.",
        "en": "Joinpoint trends are fitted on the world-standardised rate by single year."},
    "trends_summary": {
        "fr": "{name}{_}: {indicator} de {first_value} en {first} à {last_value} en {last}.",
        "en": "{name}: {indicator} from {first_value} in {first} to {last_value} in {last}."},
    # Inequalities
    "ineq_social": {"fr": "Inégalités sociales", "en": "Social inequalities"},
    "ineq_social_lead": {
        "fr": "Taux selon le quintile de défavorisation de la commune de résidence{_}: "
              "Q1 = cinquième de la population le moins défavorisé, Q5 = le plus défavorisé.",
        "en": "Rates by deprivation quintile of the commune of residence: Q1 = least "
              "deprived fifth of the population, Q5 = most deprived."},
    "quintile": {"fr": "Quintile", "en": "Quintile"},
    "quintile_n": {"fr": "Q{n}", "en": "Q{n}"},
    "quintile_1": {"fr": "Q1 (moins défavorisé)", "en": "Q1 (least deprived)"},
    "quintile_5": {"fr": "Q5 (plus défavorisé)", "en": "Q5 (most deprived)"},
    "ineq_graph_label": {"fr": "Taux par quintile de défavorisation",
                         "en": "Rates by deprivation quintile"},
    "stat_rate_ratio": {"fr": "Rapport des taux Q5/Q1", "en": "Rate ratio Q5/Q1"},
    "stat_rate_difference": {"fr": "Différence des taux Q5 − Q1 (pour 100{_}000)",
                             "en": "Rate difference Q5 − Q1 (per 100,000)"},
    "stat_sii": {"fr": "Indice de pente (SII, pour 100{_}000)",
                 "en": "Slope index of inequality (SII, per 100,000)"},
    "stat_rii": {"fr": "Indice relatif (RII)", "en": "Relative index of inequality (RII)"},
    "statistic": {"fr": "Indicateur", "en": "Statistic"},
    "ineq_summary": {
        "fr": "Le taux du quintile le plus défavorisé est {ratio} fois celui du moins "
              "défavorisé ({ci}).",
        "en": "The rate of the most deprived quintile is {ratio} times that of the least "
              "deprived ({ci})."},
    "ineq_over_time": {"fr": "Évolution de l’écart (France, par année)",
                       "en": "How the gap changes (France, by year)"},
    "ineq_over_time_label": {"fr": "Rapport des taux Q5/Q1 par année",
                             "en": "Rate ratio Q5/Q1 by year"},
    "ineq_withheld": {"fr": "Indicateur non diffusé (un quintile est sous secret statistique).",
                      "en": "Not published (a quintile is under statistical confidentiality)."},
    "ineq_territorial": {"fr": "Inégalités territoriales", "en": "Geographical inequalities"},
    "funnel_lead": {
        "fr": "Diagramme en entonnoir{_}: chaque point est un territoire, placé selon le "
              "nombre de cas attendu (axe horizontal) et son rapport standardisé (SIR, axe "
              "vertical). Les courbes sont les limites à 95{_}% et 99,8{_}% autour de 1{_}: "
              "un point en dehors s’écarte plus que ce que le hasard explique.",
        "en": "Funnel plot: each point is an area, placed by its expected number of cases "
              "(horizontal axis) and its standardised ratio (SIR, vertical axis). Curves are "
              "the 95% and 99.8% limits around 1: a point outside differs more than chance "
              "explains."},
    "funnel_graph_label": {"fr": "Diagramme en entonnoir des SIR", "en": "Funnel plot of SIRs"},
    "expected": {"fr": "Cas attendus", "en": "Expected cases"},
    "limit_95": {"fr": "Limites 95{_}%", "en": "95% limits"},
    "limit_998": {"fr": "Limites 99,8{_}%", "en": "99.8% limits"},
    "dispersion": {"fr": "Dispersion entre territoires", "en": "Dispersion between areas"},
    "dispersion_text": {
        "fr": "{n} {areas} publiés{_}: {out95} hors des limites à 95{_}% (≈{exp95} attendus "
              "par le seul hasard) et {out998} hors des limites à 99,8{_}%. Rapport "
              "interquartile des SIR (P75/P25){_}: {iqr}.",
        "en": "{n} {areas} published: {out95} outside the 95% limits (≈{exp95} expected by "
              "chance alone) and {out998} outside the 99.8% limits. Interquartile ratio of "
              "SIRs (P75/P25): {iqr}."},
    "highlighted": {"fr": "Territoire affiché", "en": "This area"},
    # Profile
    "profile_lead": {"fr": "{level} — {parent}", "en": "{level} — {parent}"},
    "profile_key": {"fr": "Chiffres clés ({site}, {sex}, {period})",
                    "en": "Key figures ({site}, {sex}, {period})"},
    "profile_sites": {"fr": "Localisations classées ({sex}, {period})",
                      "en": "Sites ranked ({sex}, {period})"},
    "profile_trends": {"fr": "Évolution ({site}, {sex})", "en": "Trend ({site}, {sex})"},
    "profile_funnel": {"fr": "Position parmi les {areas} ({site}, {sex}, {period})",
                       "en": "Position among {areas} ({site}, {sex}, {period})"},
    "profile_map_link": {"fr": "Voir sur la carte", "en": "See on the map"},
    "sir_short": {"fr": "SIR", "en": "SIR"},
    "asr_world_short": {"fr": "Taux standardisé monde", "en": "World standardised rate"},
    "site": {"fr": "Localisation", "en": "Site"},
    # Methods (long texts)
    "methods_lead": {
        "fr": "Comment les indicateurs sont calculés, protégés et publiés.",
        "en": "How the indicators are computed, protected and published."},
    "m_indicators": {"fr": "Les indicateurs", "en": "The indicators"},
    "m_cases": {
        "fr": "Nombre de cas (ou de décès){_}: nouveaux cas de cancer diagnostiqués (incidence) "
              "ou décès dont le cancer est la cause initiale (mortalité), chez les résidents du "
              "territoire, sur l’année ou la période.",
        "en": "Number of cases (or deaths): new cancer cases diagnosed (incidence) or deaths "
              "with cancer as the underlying cause (mortality) among residents of the area, "
              "over the year or period."},
    "m_crude": {
        "fr": "Taux brut{_}: nombre de cas pour 100{_}000 personnes-années. Il dépend de "
              "l’âge de la population{_}: un département âgé a mécaniquement plus de cancers.",
        "en": "Crude rate: cases per 100,000 person-years. It depends on the population’s age: "
              "an older department mechanically has more cancers."},
    "m_asr": {
        "fr": "Taux standardisé{_}: taux qu’aurait le territoire si sa population avait la "
              "structure d’âge d’une population de référence (mondiale de Segi ou européenne "
              "2013). Il permet de comparer territoires et années à âge égal.",
        "en": "Age-standardised rate: the rate the area would have if its population had the "
              "age structure of a reference population (Segi world or 2013 European). It "
              "compares areas and years at equal age."},
    "m_sir": {
        "fr": "Rapport standardisé d’incidence ou de mortalité (SIR){_}: cas observés divisés "
              "par les cas attendus si le territoire avait les taux par âge de la France. "
              "1 = comme la France{_}; 1,20 = 20{_}% de plus.",
        "en": "Standardised incidence or mortality ratio (SIR): observed cases divided by "
              "the cases expected if the area had France’s age-specific rates. 1 = as France; "
              "1.20 = 20% more."},
    "m_smoothing": {
        "fr": "SIR lissé{_}: dans les petits territoires, le SIR varie beaucoup par hasard. "
              "Le lissage bayésien empirique (modèle Poisson-gamma, Clayton et Kaldor 1987) "
              "rapproche les SIR peu précis de la moyenne, pour une carte plus lisible.",
        "en": "Smoothed SIR: in small areas the SIR varies a lot by chance. Empirical Bayes "
              "smoothing (Poisson-gamma model, Clayton and Kaldor 1987) pulls imprecise SIRs "
              "towards the mean, for a more readable map."},
    "m_trends": {
        "fr": "Tendances{_}: régression joinpoint du logarithme du taux standardisé monde par "
              "année. L’APC est l’évolution annuelle en pourcentage d’un segment, l’AAPC sa "
              "moyenne sur toute la période (Clegg et al. 2009).",
        "en": "Trends: joinpoint regression of the log world-standardised rate by year. The "
              "APC is the annual percent change of a segment, the AAPC its average over the "
              "whole period (Clegg et al. 2009)."},
    "m_inequalities": {
        "fr": "Inégalités sociales{_}: la population est répartie en cinq quintiles selon "
              "l’indice de défavorisation de sa commune. Le rapport Q5/Q1 compare les deux "
              "extrêmes{_}; l’indice de pente (SII) et l’indice relatif (RII) utilisent les "
              "cinq quintiles.",
        "en": "Social inequalities: the population is split into five quintiles by the "
              "deprivation index of its commune. The Q5/Q1 ratio compares both ends; the slope "
              "index (SII) and the relative index (RII) use all five quintiles."},
    "m_standards": {"fr": "Populations de référence", "en": "Standard populations"},
    "m_standards_text": {
        "fr": "Deux populations de référence servent à standardiser les taux{_}: la population "
              "mondiale de Segi (1960, modifiée par Doll et al. 1966), utilisée pour comparer "
              "avec les publications internationales («{_}taux standardisé monde{_}», TSM), et "
              "la population européenne de 2013 (ESP 2013), plus âgée, dont les taux sont plus "
              "proches des taux bruts. Les deux utilisent 18 groupes d’âge de 5 ans.",
        "en": "Two reference populations are used to standardise rates: Segi’s world population "
              "(1960, modified by Doll et al. 1966), used to compare with international "
              "publications, and the 2013 European Standard Population (ESP 2013), older, whose "
              "rates are closer to crude rates. Both use 18 five-year age groups."},
    "m_from_release": {"fr": "Selon cette version des données{_}: {text}",
                       "en": "As stated by this data release: {text}"},
    "m_intervals_methods": {
        "fr": "Méthodes{_}: loi de Poisson exacte (Garwood 1936) pour les effectifs, les taux "
              "bruts et les SIR{_}; méthode gamma de Tiwari et al. (2006) pour les taux "
              "standardisés. Dans le diagramme en entonnoir, les limites à 95{_}% et 99,8{_}% "
              "sont les quantiles exacts d’une loi de Poisson de moyenne égale aux cas attendus, "
              "divisés par ces cas attendus.",
        "en": "Methods: exact Poisson (Garwood 1936) for counts, crude rates and SIRs; the "
              "gamma method of Tiwari et al. (2006) for standardised rates. In the funnel plot, "
              "the 95% and 99.8% limits are exact quantiles of a Poisson distribution whose mean "
              "is the expected count, divided by that expected count."},
    "m_intervals": {"fr": "Intervalles de confiance", "en": "Confidence intervals"},
    "m_intervals_text": {
        "fr": "Tous les intervalles sont à 95{_}%. Un intervalle large signale une estimation "
              "peu précise (petits effectifs).",
        "en": "All intervals are 95%. A wide interval means an imprecise estimate (small "
              "numbers)."},
    "m_suppression": {"fr": "Secret statistique", "en": "Statistical confidentiality"},
    "m_suppression_text": {
        "fr": "Les effectifs de 1 à {max_small} ne sont jamais publiés. D’autres cases sont "
              "aussi masquées (secret secondaire) pour qu’on ne puisse pas retrouver les "
              "premières par soustraction (par exemple région moins ses autres départements). "
              "Les territoires concernés apparaissent en gris{_}: «{_}non diffusable{_}».",
        "en": "Counts from 1 to {max_small} are never published. Other cells are also hidden "
              "(complementary suppression) so the former cannot be recovered by subtraction "
              "(for instance a region minus its other departments). Such areas are shown in "
              "grey: “not published”."},
    "m_precision_text": {
        "fr": "Chaque chiffre est arrondi à la précision qui a un sens{_}: taux, bornes "
              "d’intervalle et variations annuelles au dixième (bornes arrondies vers "
              "l’extérieur, pour que l’intervalle publié contienne le vrai), rapports (ICS, "
              "rapports de taux) et probabilités au centième. Des décimales en trop seraient "
              "des équations permettant de retrouver des effectifs cachés. Les taux "
              "standardisés d’une zone ne sont publiés qu’avec au moins 20 cas, et seulement "
              "s’ils ne permettent pas de déduire le nombre de cas d’un groupe d’âge{_}; les "
              "taux standardisés sur la population européenne ne sont publiés que pour la "
              "France. Les cas attendus (ICS) utilisent les taux par âge de la France, "
              "eux-mêmes publiés.",
        "en": "Every figure is rounded to the precision that has a meaning: rates, interval "
              "limits and annual changes to one decimal (limits rounded outwards, so the "
              "published interval contains the true one), ratios (SIR, rate ratios) and "
              "probabilities to two decimals. Extra digits would be equations that give "
              "hidden counts back. An area’s standardised rates are published only with at "
              "least 20 cases, and only when they cannot reveal the number of cases of an age "
              "group; rates standardised on the European population are published for France "
              "only. Expected cases (SIR) use France’s age-specific rates, which are "
              "published too."},
    "m_release_rule": {"fr": "Règle appliquée à cette version{_}: {rule}",
                       "en": "Rule applied to this release: {rule}"},
    "m_release_cells": {
        "fr": "{published} cases publiées, {suppressed} masquées. Audit de protection{_}: "
              "{audit}.",
        "en": "{published} cells published, {suppressed} suppressed. Protection audit: "
              "{audit}."},
    "audit_passed": {"fr": "réussi", "en": "passed"},
    "audit_failed": {"fr": "échoué", "en": "failed"},
    "m_sources": {"fr": "Sources et millésimes", "en": "Sources and vintages"},
    "m_citation": {"fr": "Citer ces données", "en": "Cite these data"},
    "m_release": {"fr": "Version des données", "en": "Data release"},
    "m_release_fields": {
        "fr": "Identifiant {release_id}{_}; construite le {date}{_}; années {first} à {last}{_}; "
              "schéma {schema}{_}; logiciel {software}.",
        "en": "Identifier {release_id}; built on {date}; years {first} to {last}; schema "
              "{schema}; software {software}."},
    "m_simulated": {"fr": "Données simulées", "en": "Simulated data"},
    "m_simulated_text": {
        "fr": "Cette version est construite à partir d’un registre fictif de démonstration. "
              "Les chiffres ont l’apparence de vraies statistiques mais ne décrivent aucune "
              "personne ni aucun territoire réel{_}: ne les citez pas.",
        "en": "This release is built from a fictitious demonstration registry. The figures "
              "look like real statistics but describe no real person or area: do not cite "
              "them."},
    "m_observed_text": {"fr": "Cette version contient des données observées.",
                        "en": "This release contains observed data."},
    "m_accessibility": {"fr": "Déclaration d’accessibilité", "en": "Accessibility statement"},
    "m_accessibility_text": {
        "fr": "Ce site est partiellement conforme au référentiel général d’amélioration de "
              "l’accessibilité (RGAA 4.1). Méthode d’évaluation{_}: audit interne automatisé "
              "(axe-core sur chaque page, dans un navigateur Chromium) complété de "
              "vérifications manuelles au clavier, au zoom 200{_}% et en largeur mobile. "
              "Chaque graphique a une alternative textuelle{_}: un résumé rédigé à partir des "
              "données et un tableau. Limites connues{_}: les graphiques interactifs ne sont "
              "pas entièrement utilisables au lecteur d’écran (utilisez les tableaux){_}; "
              "aucun audit externe complet n’a encore été réalisé.",
        "en": "This site is partially compliant with the French accessibility standard "
              "(RGAA 4.1). Evaluation method: automated internal audit (axe-core on every page "
              "in a Chromium browser) plus manual checks with the keyboard, at 200% zoom and "
              "at phone width. Every chart has a text alternative: a summary written from the "
              "data and a table. Known limits: interactive charts are not fully usable with a "
              "screen reader (use the tables); no complete external audit has been done yet."},
    "m_api": {"fr": "Données ouvertes et API", "en": "Open data and API"},
    "m_api_text": {
        "fr": "Chaque vue propose ses données en CSV, CSV pour Excel, Parquet et JSON{_}; "
              "l’API est documentée sous /api/v1/.",
        "en": "Every view offers its data as CSV, CSV for Excel, Parquet and JSON; the API is "
              "documented under /api/v1/."},
}


class _Keep(dict):
    """Leaves unknown placeholders in place (templates filled later)."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def t(msg: str, lang: str = DEFAULT_LANG, /, **values: object) -> str:
    """The message ``msg`` in ``lang`` (French fallback), placeholders filled."""
    entry = MESSAGES[msg]
    text = entry.get(lang) or entry[DEFAULT_LANG]
    return text.format_map(_Keep(_=_, **values)) if "{" in text else text


def count_areas(n: int, level: str, lang: str = DEFAULT_LANG) -> str:
    """``0 département``, ``3 départements`` (French singular up to 1), ``1 region``."""
    one = n <= 1 if lang == "fr" else n == 1
    return f"{n} {t(('area_' if one else 'areas_') + level, lang)}"


def normalise_lang(value: str | None) -> str:
    """``en`` or ``fr`` (the default) from a URL value."""
    return value if value in LANGS else DEFAULT_LANG
